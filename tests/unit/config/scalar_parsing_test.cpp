#include "config/scalar_parsing.hpp"

#include <gtest/gtest.h>

namespace hermes::config {
namespace {

constexpr int64_t KiB = 1024;
constexpr int64_t MiB = 1024 * KiB;
constexpr int64_t GiB = 1024 * MiB;

TEST(ParseSizeBytes, ReadsDockerStyleSizes) {
  EXPECT_EQ(parse_size_bytes("256m"), 256 * MiB);
  EXPECT_EQ(parse_size_bytes("1g"), GiB);
  EXPECT_EQ(parse_size_bytes("512k"), 512 * KiB);
  EXPECT_EQ(parse_size_bytes("1048576"), 1048576);
  EXPECT_EQ(parse_size_bytes("64mb"), 64 * MiB);
  EXPECT_EQ(parse_size_bytes("64MB"), 64 * MiB);
  EXPECT_EQ(parse_size_bytes("64MiB"), 64 * MiB);
  EXPECT_EQ(parse_size_bytes("256 m"), 256 * MiB);
  EXPECT_EQ(parse_size_bytes("100b"), 100);
  EXPECT_EQ(parse_size_bytes("1.5g"), GiB + GiB / 2);
  EXPECT_EQ(parse_size_bytes("2t"), 2048 * GiB);
}

TEST(ParseSizeBytes, RefusesWhatIsNotASize) {
  for (const char* bad : {"", "m", "-1m", "+5m", "1.m", ".5m", "1x", "1mm", "1 mb ", " 1m", "1gib2",
                          "12345678901234567", "1.1234567890g", "0x10", "1e3", "256m\n"}) {
    EXPECT_EQ(parse_size_bytes(bad), std::nullopt) << bad;
  }
}

TEST(ParseSizeBytes, RefusesSizesAboveOnePebibyteInsteadOfOverflowing) {
  EXPECT_EQ(parse_size_bytes("1p"), kMaxSizeBytes);
  EXPECT_EQ(parse_size_bytes("1025t"), std::nullopt);
  EXPECT_EQ(parse_size_bytes("9999999999999999p"), std::nullopt);
  EXPECT_EQ(parse_size_bytes("9999999999999999"), std::nullopt);
}

TEST(ParseDecimalInteger, AcceptsOnlyWholeDecimalText) {
  EXPECT_EQ(parse_decimal_integer("2222"), 2222);
  EXPECT_EQ(parse_decimal_integer("+3"), 3);
  EXPECT_EQ(parse_decimal_integer("-1"), -1);
  for (const char* bad : {"", "+", "++3", "abc", "22abc", "0x10", "1_000", "1.0", " 1", "1e3",
                          "99999999999999999999"}) {
    EXPECT_EQ(parse_decimal_integer(bad), std::nullopt) << bad;
  }
}

TEST(ParseDecimalNumber, AcceptsFiniteNumbersOnly) {
  EXPECT_EQ(parse_decimal_number("0.5"), 0.5);
  EXPECT_EQ(parse_decimal_number("2"), 2.0);
  EXPECT_EQ(parse_decimal_number("1e-1"), 0.1);
  for (const char* bad : {"", "inf", "-inf", "nan", ".inf", "1e999", "0.5x", "half"}) {
    EXPECT_EQ(parse_decimal_number(bad), std::nullopt) << bad;
  }
}

TEST(ParseBoolean, ReadsYaml11Words) {
  EXPECT_EQ(parse_boolean("true"), true);
  EXPECT_EQ(parse_boolean("Yes"), true);
  EXPECT_EQ(parse_boolean("ON"), true);
  EXPECT_EQ(parse_boolean("false"), false);
  EXPECT_EQ(parse_boolean("no"), false);
  EXPECT_EQ(parse_boolean("Off"), false);
  EXPECT_EQ(parse_boolean("maybe"), std::nullopt);
  EXPECT_EQ(parse_boolean(""), std::nullopt);
}

TEST(QuoteForMessage, EscapesControlBytesAndCutsLongText) {
  EXPECT_EQ(quote_for_message("abc"), "\"abc\"");
  EXPECT_EQ(quote_for_message("a\nb\"c\x07"), "\"a\\nb\\\"c\\x07\"");
  const std::string quoted = quote_for_message(std::string(500, 'x'));
  EXPECT_LT(quoted.size(), 100u);
  EXPECT_NE(quoted.find("..."), std::string::npos);
}

}  // namespace
}  // namespace hermes::config
