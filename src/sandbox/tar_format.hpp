#pragma once
// The pieces of the tar format both tar parsers share: the artifact reader (sandbox/tar_reader,
// fed by the engine with archives whose names and contents the attacker chose) and the image
// base lister (sandbox/tar_listing). Every function takes hostile bytes: bounded, never throws.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string_view>

#include "common/result.hpp"

namespace hermes::sandbox {

inline constexpr std::size_t kTarBlock = 512;
// Numbers above this are nonsense in a tar header and could overflow padding arithmetic.
inline constexpr std::uint64_t kMaxTarNumber = std::uint64_t{1} << 50;

// Where the ustar header fields sit in a block.
struct TarField {
  std::size_t offset, length;
};
inline constexpr TarField kTarName{0, 100}, kTarSize{124, 12}, kTarChecksum{148, 8}, kTarLink{157, 100},
    kTarMagic{257, 6}, kTarPrefix{345, 155};
inline constexpr std::size_t kTarTypeflag = 156;

// A header field of a 512-byte block, up to its first NUL (or whole when it has none).
std::string_view tar_text(std::string_view block, TarField field);

// A numeric field: octal with optional leading spaces and NUL/space terminators, or GNU
// base-256 (high bit of the first byte). Negative or larger than kMaxTarNumber: an error.
Result<std::uint64_t> tar_number(std::string_view raw);

bool is_zero_tar_block(std::string_view block);

// The header checksum (the field counted as spaces), as written by unsigned or by old signed-char
// implementations.
bool tar_checksum_matches(std::string_view block);

// Calls visit(key, value) for each pax extended-header record "<length> <key>=<value>\n" (the
// length counting the whole record); a zero-filled tail ends the records.
Result<void> for_each_pax_record(std::string_view records,
                                 const std::function<Result<void>(std::string_view key, std::string_view value)>& visit);

}  // namespace hermes::sandbox
