#pragma once
// Pure parsers for the scalar texts a configuration holds. They take the text exactly as YAML
// gave it and say "no" (nullopt/false) for anything else: no exceptions, no locale, no partial
// matches ("22abc" is not 22).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace hermes::config {

// Decimal integer with an optional sign ("2222", "+3", "-1"); nothing YAML 1.1 adds (hex, octal,
// "1_000") because the original's users wrote plain decimals and a typo should not be a number.
std::optional<long long> parse_decimal_integer(std::string_view text);

// "0.5", "2", "1e-1"; finite values only.
std::optional<double> parse_decimal_number(std::string_view text);

// YAML 1.1 booleans as PyYAML read them: true/false, yes/no, on/off (any letter case).
std::optional<bool> parse_boolean(std::string_view text);

// Sizes as Docker reads them (binary units): "1048576", "512k", "256m", "64mb", "1g", "1.5g",
// "64MiB", "100b". Values above kMaxSizeBytes are refused rather than overflowing.
inline constexpr int64_t kMaxSizeBytes = int64_t{1} << 50;  // 1 PiB
std::optional<int64_t> parse_size_bytes(std::string_view text);

// A value as it may appear inside an error message: quoted, control and non-ASCII bytes escaped
// (\n, \x07), cut to a readable length, so hostile text cannot forge lines in the operator's log.
std::string quote_for_message(std::string_view text);
// The same escaping without quotes, for key names placed in a dotted path.
std::string escape_for_message(std::string_view text);

std::string to_upper_ascii(std::string_view text);
std::string to_lower_ascii(std::string_view text);

}  // namespace hermes::config
