#include "record/json_string.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace hermes::record {
namespace {

std::string escaped(std::string_view text) {
  std::string out;
  append_json_string(out, text);
  return out;
}

std::string as_nlohmann_writes_it(std::string_view text) {
  return nlohmann::json(std::string(text)).dump();
}

TEST(JsonString, EveryAsciiByteAsNlohmannWritesIt) {
  for (int c = 0; c < 0x80; ++c) {
    const std::string one(1, static_cast<char>(c));
    EXPECT_EQ(escaped(one), as_nlohmann_writes_it(one)) << "byte " << c;
  }
}

TEST(JsonString, MixedTextWithUtf8AndRunsOfControlBytes) {
  const std::string text = std::string("ls -la\r\n\x1b[01;34mdir\x1b[0m \"q\" back\\slash ") + "caf\xc3\xa9 \xe2\x82\xac " +
                           std::string(5, '\0') + "end";
  EXPECT_EQ(escaped(text), as_nlohmann_writes_it(text));
  EXPECT_EQ(nlohmann::json::parse(escaped(text)).get<std::string>(), text);
}

TEST(JsonString, AppendsAfterWhatIsThere) {
  std::string out = "[1.0, \"o\", ";
  append_json_string(out, "");
  EXPECT_EQ(out, "[1.0, \"o\", \"\"");
}

}  // namespace
}  // namespace hermes::record
