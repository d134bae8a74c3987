#pragma once
// The inverse of hermes::iso8601 (common/time.hpp), for reading our own sidecar files back.
#include <chrono>
#include <optional>
#include <string_view>

namespace hermes::record {

// Accepts exactly "YYYY-MM-DDTHH:MM:SS[.f{1,9}]Z" (UTC) with a year in 1900..2200 (what the
// clock can hold, with margin); nullopt for anything else.
std::optional<std::chrono::system_clock::time_point> parse_iso8601(std::string_view text);

}  // namespace hermes::record
