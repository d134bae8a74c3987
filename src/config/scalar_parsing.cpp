#include "config/scalar_parsing.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>

namespace hermes::config {
namespace {

constexpr std::size_t kMaxShownChars = 80;

bool is_digit(char c) { return c >= '0' && c <= '9'; }

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

// Multiplier of a size unit ("", "b", "k", "kb", "kib", "m", ...), or 0 when it is not one.
int64_t size_unit_multiplier(std::string_view unit) {
  if (unit.empty() || equals_ignoring_case(unit, "b")) return 1;
  int shift = 0;
  switch (lower(unit[0])) {
    case 'k':
      shift = 10;
      break;
    case 'm':
      shift = 20;
      break;
    case 'g':
      shift = 30;
      break;
    case 't':
      shift = 40;
      break;
    case 'p':
      shift = 50;
      break;
    default:
      return 0;
  }
  std::string_view rest = unit.substr(1);
  if (!(rest.empty() || equals_ignoring_case(rest, "b") || equals_ignoring_case(rest, "i") ||
        equals_ignoring_case(rest, "ib"))) {
    return 0;
  }
  return int64_t{1} << shift;
}

std::size_t count_leading_digits(std::string_view text) {
  std::size_t n = 0;
  while (n < text.size() && is_digit(text[n])) ++n;
  return n;
}

}  // namespace

std::optional<long long> parse_decimal_integer(std::string_view text) {
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  if (text.empty() || text.front() == '+') return std::nullopt;
  long long value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::optional<double> parse_decimal_number(std::string_view text) {
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  // from_chars would accept "inf" and "nan"; a resource limit must be a real number.
  if (text.empty() || !(is_digit(text.front()) || text.front() == '.' || text.front() == '-')) {
    return std::nullopt;
  }
  double value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || !std::isfinite(value)) {
    return std::nullopt;
  }
  return value;
}

std::optional<bool> parse_boolean(std::string_view text) {
  for (std::string_view yes : {"true", "yes", "on"}) {
    if (equals_ignoring_case(text, yes)) return true;
  }
  for (std::string_view no : {"false", "no", "off"}) {
    if (equals_ignoring_case(text, no)) return false;
  }
  return std::nullopt;
}

std::optional<int64_t> parse_size_bytes(std::string_view text) {
  const std::size_t int_digits = count_leading_digits(text);
  // 16 digits already exceed 1 PiB; the cap keeps the arithmetic below far from overflow.
  if (int_digits == 0 || int_digits > 16) return std::nullopt;
  std::string_view rest = text.substr(int_digits);

  std::string_view fraction;
  if (!rest.empty() && rest.front() == '.') {
    const std::size_t frac_digits = count_leading_digits(rest.substr(1));
    if (frac_digits == 0 || frac_digits > 9) return std::nullopt;
    fraction = rest.substr(1, frac_digits);
    rest.remove_prefix(1 + frac_digits);
  }
  if (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);  // Docker allows "256 m"
  const int64_t multiplier = size_unit_multiplier(rest);
  if (multiplier == 0) return std::nullopt;

  unsigned __int128 whole = 0;
  for (char c : text.substr(0, int_digits)) whole = whole * 10 + static_cast<unsigned>(c - '0');
  unsigned __int128 frac_value = 0;
  unsigned __int128 frac_scale = 1;
  for (char c : fraction) {
    frac_value = frac_value * 10 + static_cast<unsigned>(c - '0');
    frac_scale *= 10;
  }
  // Docker truncates a fractional byte count; so do we.
  const unsigned __int128 bytes = whole * multiplier + frac_value * multiplier / frac_scale;
  if (bytes > static_cast<unsigned __int128>(kMaxSizeBytes)) return std::nullopt;
  return static_cast<int64_t>(bytes);
}

std::string escape_for_message(std::string_view text) {
  std::string out;
  const bool cut = text.size() > kMaxShownChars;
  if (cut) text = text.substr(0, kMaxShownChars);
  for (unsigned char c : text) {
    switch (c) {
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '"':
        out += "\\\"";
        break;
      default:
        if (c < 0x20 || c >= 0x7f) {
          char buf[5];
          std::snprintf(buf, sizeof buf, "\\x%02x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  if (cut) out += "...";
  return out;
}

std::string quote_for_message(std::string_view text) {
  return '"' + escape_for_message(text) + '"';
}

std::string to_upper_ascii(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

std::string to_lower_ascii(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = lower(c);
  return out;
}

}  // namespace hermes::config
