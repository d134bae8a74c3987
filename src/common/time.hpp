#pragma once
#include <chrono>
#include <string>

namespace hermes {

// "2026-11-22T06:07:41.730873Z": ISO 8601, UTC, microseconds, as Cowrie writes it.
std::string iso8601(std::chrono::system_clock::time_point t);
inline std::string iso8601_now() { return iso8601(std::chrono::system_clock::now()); }

}  // namespace hermes
