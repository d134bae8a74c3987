#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "record/utf8.hpp"

namespace hermes::record {
namespace {

const std::string kFffd = "\xEF\xBF\xBD";

std::string sanitize_all(const std::string& bytes) {
  std::string out, tail;
  utf8_sanitize(bytes, out, tail, /*final=*/true);
  EXPECT_TRUE(tail.empty());
  return out;
}

std::string repeat(const std::string& s, int n) {
  std::string r;
  for (int i = 0; i < n; ++i) r += s;
  return r;
}

TEST(Utf8Sanitize, ValidTextPassesThroughUnchanged) {
  const std::string text = "plain ascii \x1b[0m\r\n\t, caf\xC3\xA9, \xE2\x82\xAC, \xF0\x9F\x98\x80, "
                           "\xEF\xBF\xBF, \xF4\x8F\xBF\xBF, \xED\x9F\xBF";
  EXPECT_EQ(sanitize_all(text), text);
  EXPECT_EQ(sanitize_all(std::string("a\0b", 3)), std::string("a\0b", 3));
}

TEST(Utf8Sanitize, EveryTwoChunkSplitOfMultibyteCharactersComesOutWhole) {
  for (const std::string ch : {"\xC3\xA9", "\xE2\x82\xAC", "\xF0\x9F\x98\x80"}) {
    for (std::size_t k = 1; k < ch.size(); ++k) {
      SCOPED_TRACE("char length " + std::to_string(ch.size()) + " split at " + std::to_string(k));
      std::string out, tail;
      utf8_sanitize("a" + ch.substr(0, k), out, tail, false);
      EXPECT_EQ(out, "a");
      EXPECT_EQ(tail, ch.substr(0, k));
      utf8_sanitize(ch.substr(k) + "b", out, tail, false);
      EXPECT_EQ(out, "a" + ch + "b");
      EXPECT_TRUE(tail.empty());
    }
  }
}

TEST(Utf8Sanitize, FourByteCharacterSplitIntoSingleBytesComesOutWhole) {
  const std::string ch = "\xF0\x9F\x98\x80";
  std::string out, tail;
  for (char c : ch) utf8_sanitize(std::string(1, c), out, tail, false);
  EXPECT_EQ(out, ch);
  EXPECT_TRUE(tail.empty());
}

TEST(Utf8Sanitize, EmptyChunkKeepsTheTail) {
  std::string out, tail;
  utf8_sanitize("\xE2\x82", out, tail, false);
  utf8_sanitize("", out, tail, false);
  EXPECT_EQ(out, "");
  EXPECT_EQ(tail, "\xE2\x82");
  utf8_sanitize("\xAC", out, tail, false);
  EXPECT_EQ(out, "\xE2\x82\xAC");
}

struct InvalidCase {
  const char* name;
  std::string input;
  std::string expected;
};

class Utf8SanitizeInvalid : public ::testing::TestWithParam<InvalidCase> {};

TEST_P(Utf8SanitizeInvalid, BecomesReplacementCharacters) {
  const auto& c = GetParam();
  const std::string out = sanitize_all(c.input);
  EXPECT_EQ(out, c.expected);
  EXPECT_NO_THROW((void)nlohmann::json(out).dump());  // strict dump throws on invalid UTF-8
}

// One U+FFFD per maximal subpart of an ill-formed sequence (Unicode 15, section 3.9).
INSTANTIATE_TEST_SUITE_P(
    Cases, Utf8SanitizeInvalid,
    ::testing::Values(
        InvalidCase{"ff", "a\xFF" "b", "a" + kFffd + "b"},
        InvalidCase{"fe", "\xFE", kFffd},
        InvalidCase{"lone_continuation", "a\x80" "b", "a" + kFffd + "b"},
        InvalidCase{"continuations", "\x80\xBF", repeat(kFffd, 2)},
        InvalidCase{"overlong_c0_80", "\xC0\x80", repeat(kFffd, 2)},
        InvalidCase{"overlong_c1", "\xC1\xBF", repeat(kFffd, 2)},
        InvalidCase{"overlong_e0_80", "\xE0\x80\x80", repeat(kFffd, 3)},
        InvalidCase{"overlong_f0_80", "\xF0\x80\x80\x80", repeat(kFffd, 4)},
        InvalidCase{"surrogate_ed_a0_80", "\xED\xA0\x80", repeat(kFffd, 3)},
        InvalidCase{"surrogate_ed_bf_bf", "\xED\xBF\xBF", repeat(kFffd, 3)},
        InvalidCase{"above_10ffff", "\xF4\x90\x80\x80", repeat(kFffd, 4)},
        InvalidCase{"f5", "\xF5\x80\x80\x80", repeat(kFffd, 4)},
        InvalidCase{"truncated_then_ascii", "\xE2\x82" "A", kFffd + "A"},
        InvalidCase{"truncated_4_then_ascii", "\xF0\x9F\x98" "A", kFffd + "A"},
        InvalidCase{"truncated_then_lead", "\xE2\xC3\xA9", kFffd + "\xC3\xA9"},
        InvalidCase{"truncated_at_end", "ok\xF0\x9F\x98", "ok" + kFffd},
        InvalidCase{"lead_at_end", "ok\xC3", "ok" + kFffd}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(Utf8Sanitize, InvalidLeadIsNotHeldBack) {
  std::string out, tail;
  utf8_sanitize("x\xFF", out, tail, false);
  EXPECT_EQ(out, "x" + kFffd);
  EXPECT_TRUE(tail.empty());
  // Lead bytes that cannot start a valid sequence with what follows are not held either.
  utf8_sanitize("\xE0\x80", out, tail, false);
  EXPECT_EQ(out, "x" + kFffd + repeat(kFffd, 2));
  EXPECT_TRUE(tail.empty());
}

TEST(Utf8Sanitize, TailNeverExceedsThreeBytes) {
  std::string out, tail;
  for (const std::string chunk : {"\xF0", "\x9F", "\x98"}) {
    utf8_sanitize(chunk, out, tail, false);
    EXPECT_LE(tail.size(), 3u);
  }
  EXPECT_EQ(tail, "\xF0\x9F\x98");
  EXPECT_EQ(out, "");
  utf8_sanitize("", out, tail, true);
  EXPECT_EQ(out, kFffd);
  EXPECT_TRUE(tail.empty());
}

}  // namespace
}  // namespace hermes::record
