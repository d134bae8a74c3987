// The configuration's scalar parsers (integers, numbers, sizes, booleans) and the escaping that
// puts a hostile value into an error message. Properties: no crash or exception on any bytes; an
// accepted integer prints back to a text that parses to the same value; sizes stay within
// [0, kMaxSizeBytes] and a plain digit string is its own byte count; numbers are finite;
// escaped text holds printable ASCII only and stays short whatever the input's length.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "config/scalar_parsing.hpp"

namespace cfg = hermes::config;

namespace {
bool printable_ascii(std::string_view text) {
  for (unsigned char c : text)
    if (c < 0x20 || c >= 0x7f) return false;
  return true;
}
bool all_digits(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text)
    if (c < '0' || c > '9') return false;
  return true;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);

  if (const auto value = cfg::parse_decimal_integer(input)) {
    const auto again = cfg::parse_decimal_integer(std::to_string(*value));
    if (!again || *again != *value) std::abort();
  }
  if (const auto number = cfg::parse_decimal_number(input); number && !std::isfinite(*number)) std::abort();
  if (const auto flag = cfg::parse_boolean(input); flag && input.size() > 5) std::abort();

  const auto bytes = cfg::parse_size_bytes(input);
  if (bytes && (*bytes < 0 || *bytes > cfg::kMaxSizeBytes)) std::abort();
  // Up to 15 digits is below 1 PiB: a bare count is accepted and means exactly that many bytes.
  if (all_digits(input) && input.size() <= 15 && (!bytes || *bytes != std::stoll(std::string(input)))) {
    std::abort();
  }

  const std::string quoted = cfg::quote_for_message(input);
  // 80 shown bytes, each at most 4 escaped ("\xff"), two quotes and "...".
  if (!printable_ascii(quoted) || quoted.size() > 80 * 4 + 2 + 3) std::abort();
  if (cfg::to_upper_ascii(input).size() != input.size() || cfg::to_lower_ascii(input).size() != input.size()) std::abort();
  return 0;
}
