#include "sandbox/tar_format.hpp"

#include <gtest/gtest.h>

#include <map>
#include <string>

namespace hermes::sandbox {
namespace {

using namespace std::string_literals;

TEST(TarNumber, OctalWithSpacesAndTerminators) {
  EXPECT_EQ(tar_number("0000644\0"s).value(), 0644u);
  EXPECT_EQ(tar_number("   755 \0"s).value(), 0755u);
  EXPECT_EQ(tar_number("\0\0\0\0"s).value(), 0u);
  EXPECT_FALSE(tar_number("0000 644"));
  EXPECT_FALSE(tar_number("00008"));
}

TEST(TarNumber, Base256AndItsBounds) {
  EXPECT_EQ(tar_number("\x80\x00\x00\x00\x00\x00\x00\x00\x00\x00\x10\x00"s).value(), 4096u);
  EXPECT_FALSE(tar_number("\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff"s));  // negative
  EXPECT_FALSE(tar_number("\x80\x00\x00\x00\x7f\xff\xff\xff\xff\xff\xff\xff"s));  // beyond kMaxTarNumber
  EXPECT_FALSE(tar_number("77777777777777777777777"));
}

std::string header_with_checksum(bool valid) {
  std::string block(kTarBlock, '\0');
  block.replace(0, 4, "file");
  block[kTarTypeflag] = '0';
  unsigned sum = 0;
  for (std::size_t i = 0; i < kTarBlock; ++i) {
    const bool in_field = i >= kTarChecksum.offset && i < kTarChecksum.offset + kTarChecksum.length;
    sum += in_field ? ' ' : static_cast<unsigned char>(block[i]);
  }
  char digits[8];
  std::snprintf(digits, sizeof digits, "%06o", sum + (valid ? 0 : 1));
  block.replace(kTarChecksum.offset, 7, std::string(digits, 6) + '\0');
  return block;
}

TEST(TarChecksum, MatchesOnlyTheRightSum) {
  EXPECT_TRUE(tar_checksum_matches(header_with_checksum(true)));
  EXPECT_FALSE(tar_checksum_matches(header_with_checksum(false)));
  EXPECT_FALSE(tar_checksum_matches("short"));
  EXPECT_TRUE(is_zero_tar_block(std::string(kTarBlock, '\0')));
  EXPECT_FALSE(is_zero_tar_block(header_with_checksum(true)));
}

TEST(TarText, StopsAtTheFirstNul) {
  std::string block(kTarBlock, '\0');
  block.replace(0, 7, "a/b\0xyz", 7);
  EXPECT_EQ(tar_text(block, kTarName), "a/b");
  block.replace(0, 100, std::string(100, 'n'));
  EXPECT_EQ(tar_text(block, kTarName).size(), 100u);  // no NUL: the whole field
}

TEST(PaxRecords, VisitsEachRecordAndRefusesMalformedOnes) {
  std::map<std::string, std::string> seen;
  const auto collect = [&](std::string_view key, std::string_view value) -> Result<void> {
    seen[std::string(key)] = std::string(value);
    return {};
  };
  ASSERT_TRUE(for_each_pax_record("16 path=a/b c.d\n11 size=42\n\0\0\0"s, collect));
  EXPECT_EQ(seen, (std::map<std::string, std::string>{{"path", "a/b c.d"}, {"size", "42"}}));
  EXPECT_FALSE(for_each_pax_record("99 path=x\n", collect));        // longer than the text
  EXPECT_FALSE(for_each_pax_record("9 pathx=y\n", collect));        // does not end where it says
  EXPECT_FALSE(for_each_pax_record("8 noequ\n", collect));          // no '='
  EXPECT_FALSE(for_each_pax_record("x path=y\n", collect));         // no length
  EXPECT_FALSE(for_each_pax_record("1234567890 p=v\n", collect));  // absurd length
}

TEST(PaxRecords, AVisitorErrorStopsTheWalk) {
  int calls = 0;
  auto refused = for_each_pax_record("8 a=bcd\n8 e=fgh\n", [&](std::string_view, std::string_view) -> Result<void> {
    ++calls;
    return fail("no");
  });
  EXPECT_FALSE(refused);
  EXPECT_EQ(calls, 1);
}

}  // namespace
}  // namespace hermes::sandbox
