#include "record/iso8601_parse.hpp"

#include <gtest/gtest.h>

#include "common/time.hpp"

namespace hermes::record {
namespace {

using namespace std::chrono;

TEST(ParseIso8601, InvertsCommonIso8601AtMicrosecondPrecision) {
  for (const auto t : {system_clock::time_point(seconds(0)),
                       system_clock::time_point(seconds(1700000000)) + microseconds(123456),
                       system_clock::time_point(seconds(951782400)) + microseconds(1),  // 2000-02-29
                       system_clock::time_point(seconds(4102444799)) + microseconds(999999)}) {
    const auto parsed = parse_iso8601(iso8601(t));
    ASSERT_TRUE(parsed) << iso8601(t);
    EXPECT_EQ(*parsed, t) << iso8601(t);
  }
}

TEST(ParseIso8601, AcceptsOtherFractionLengths) {
  const auto base = system_clock::time_point(seconds(1700000000));
  EXPECT_EQ(parse_iso8601("2023-11-14T22:13:20Z"), base);
  EXPECT_EQ(parse_iso8601("2023-11-14T22:13:20.5Z"), base + milliseconds(500));
}

TEST(ParseIso8601, RejectsMalformedText) {
  for (const char* bad : {"", "2023-11-14", "2023-11-14T22:13:20", "2023-11-14T22:13:20.Z",
                          "2023-11-14 22:13:20Z", "2023-13-01T00:00:00Z", "2023-02-30T00:00:00Z",
                          "2023-11-14T24:00:00Z", "2023-11-14T22:13:20.1234567890Z",
                          "2023-11-14T22:13:20Zx", "+023-11-14T22:13:20Z",
                          // outside the nanosecond clock's range: once an overflow (fuzzing)
                          "0222-01-15T01:01:00.0Z", "9999-12-31T23:59:59Z"}) {
    EXPECT_FALSE(parse_iso8601(bad)) << bad;
  }
}

}  // namespace
}  // namespace hermes::record
