#include "record/iso8601_parse.hpp"

#include <cstdint>

namespace hermes::record {
namespace {

constexpr int64_t kMinYear = 1900, kMaxYear = 2200;

// Reads exactly `width` decimal digits at `pos`, advancing it.
bool read_digits(std::string_view text, std::size_t& pos, std::size_t width, int64_t& value) {
  if (pos + width > text.size()) return false;
  value = 0;
  for (std::size_t i = 0; i < width; ++i) {
    const char c = text[pos + i];
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  pos += width;
  return true;
}

bool expect(std::string_view text, std::size_t& pos, char c) {
  if (pos >= text.size() || text[pos] != c) return false;
  ++pos;
  return true;
}

}  // namespace

std::optional<std::chrono::system_clock::time_point> parse_iso8601(std::string_view text) {
  using namespace std::chrono;
  std::size_t pos = 0;
  int64_t year, month, day, hour, minute, second;
  if (!read_digits(text, pos, 4, year) || !expect(text, pos, '-') ||
      !read_digits(text, pos, 2, month) || !expect(text, pos, '-') ||
      !read_digits(text, pos, 2, day) || !expect(text, pos, 'T') ||
      !read_digits(text, pos, 2, hour) || !expect(text, pos, ':') ||
      !read_digits(text, pos, 2, minute) || !expect(text, pos, ':') ||
      !read_digits(text, pos, 2, second)) {
    return std::nullopt;
  }
  int64_t nanos = 0;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    std::size_t digits = 0;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      if (++digits > 9) return std::nullopt;
      nanos = nanos * 10 + (text[pos] - '0');
      ++pos;
    }
    if (digits == 0) return std::nullopt;
    for (std::size_t i = digits; i < 9; ++i) nanos *= 10;
  }
  if (!expect(text, pos, 'Z') || pos != text.size()) return std::nullopt;
  if (hour > 23 || minute > 59 || second > 60) return std::nullopt;  // 60: leap second
  // system_clock counts nanoseconds in 64 bits: only 1678..2262 fit. Years outside this window
  // are refused rather than overflowing (found by tests/fuzz/fuzz_iso8601).
  if (year < kMinYear || year > kMaxYear) return std::nullopt;
  const year_month_day date{std::chrono::year(static_cast<int>(year)),
                            std::chrono::month(static_cast<unsigned>(month)),
                            std::chrono::day(static_cast<unsigned>(day))};
  if (!date.ok()) return std::nullopt;
  const auto since_epoch = sys_days(date).time_since_epoch() + hours(hour) + minutes(minute) +
                           seconds(second) + nanoseconds(nanos);
  return system_clock::time_point(duration_cast<system_clock::duration>(since_epoch));
}

}  // namespace hermes::record
