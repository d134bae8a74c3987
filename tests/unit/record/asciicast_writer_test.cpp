#include "record/asciicast_writer.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <regex>

#include "common/sha256.hpp"
#include "unit/record/cast_reading.hpp"

#include "unit/record/test_files.hpp"

namespace hermes::record {
namespace {

using hermes::testing::read_file;
using hermes::testing::read_lines;
using hermes::testing::TempDir;
using nlohmann::json;

const std::string kFffd = "\xEF\xBF\xBD";

class AsciicastWriterTest : public ::testing::Test {
 protected:
  std::unique_ptr<AsciicastWriter> open_writer(const AsciicastHeader& header = {}) {
    auto writer = AsciicastWriter::open(path_, header);
    EXPECT_TRUE(writer.has_value()) << (writer ? "" : writer.error().message);
    return writer ? std::move(*writer) : nullptr;
  }

  std::vector<json> events() { return testing::read_cast_events(path_); }

  // The concatenated text of all events with the given code.
  std::string text_of(const std::string& code) {
    std::string text;
    for (const auto& e : events()) {
      if (e[1] == code) text += e[2].get<std::string>();
    }
    return text;
  }

  TempDir dir_;
  std::string path_ = dir_.file("s.cast");
};

TEST_F(AsciicastWriterTest, HeaderHasTheRightFieldsAndTypes) {
  AsciicastHeader header;
  header.width = 132;
  header.height = 43;
  header.timestamp = std::chrono::system_clock::time_point(std::chrono::seconds(1700000000)) +
                     std::chrono::milliseconds(900);
  header.term = "xterm-256color";
  header.shell = "/bin/bash";
  header.title = "root@10.0.0.1";
  auto writer = open_writer(header);
  ASSERT_TRUE(writer);
  const auto lines = read_lines(path_);
  ASSERT_EQ(lines.size(), 1u);
  const json h = json::parse(lines[0]);
  EXPECT_TRUE(h["version"].is_number_integer());
  EXPECT_EQ(h["version"], 2);
  EXPECT_TRUE(h["width"].is_number_integer());
  EXPECT_EQ(h["width"], 132);
  EXPECT_EQ(h["height"], 43);
  EXPECT_TRUE(h["timestamp"].is_number_integer());
  EXPECT_EQ(h["timestamp"], 1700000000);
  EXPECT_EQ(h["title"], "root@10.0.0.1");
  EXPECT_EQ(h["env"], (json{{"TERM", "xterm-256color"}, {"SHELL", "/bin/bash"}}));
  EXPECT_EQ(writer->bytes_written(), read_file(path_).size());
}

TEST_F(AsciicastWriterTest, HeaderOmitsEmptyTitleAndSurvivesInvalidUtf8InTerm) {
  AsciicastHeader header;
  header.term = "xterm\xFF";
  auto writer = open_writer(header);
  ASSERT_TRUE(writer);
  const json h = json::parse(read_lines(path_).at(0));
  EXPECT_FALSE(h.contains("title"));
  EXPECT_EQ(h["env"]["TERM"], "xterm" + kFffd);
}

TEST_F(AsciicastWriterTest, EventLinesHaveTimeCodeAndText) {
  auto writer = open_writer();
  ASSERT_TRUE(writer);
  writer->output("hello\r\n\x1b[0m");
  writer->input("ls -la\r");
  writer->resize(100, 30);
  const auto evs = events();
  ASSERT_EQ(evs.size(), 3u);
  for (const auto& e : evs) {
    ASSERT_TRUE(e.is_array());
    ASSERT_EQ(e.size(), 3u);
    EXPECT_TRUE(e[0].is_number_float());
    EXPECT_GE(e[0].get<double>(), 0.0);
    EXPECT_TRUE(e[1].is_string());
    EXPECT_TRUE(e[2].is_string());
  }
  EXPECT_EQ(evs[0][1], "o");
  EXPECT_EQ(evs[0][2], "hello\r\n\x1b[0m");
  EXPECT_EQ(evs[1][1], "i");
  EXPECT_EQ(evs[1][2], "ls -la\r");
  EXPECT_EQ(evs[2][1], "r");
  EXPECT_EQ(evs[2][2], "100x30");
  EXPECT_LE(evs[0][0].get<double>(), evs[1][0].get<double>());
  EXPECT_LE(evs[1][0].get<double>(), evs[2][0].get<double>());

  // Raw form: six decimals, as asciinema writes it.
  const std::regex line_shape(R"(^\[\d+\.\d{6}, "[oir]", ".*"\]$)");
  const auto lines = read_lines(path_);
  for (std::size_t i = 1; i < lines.size(); ++i) {
    EXPECT_TRUE(std::regex_match(lines[i], line_shape)) << lines[i];
  }
}

TEST_F(AsciicastWriterTest, FileIsValidAfterEveryWriteBeforeClose) {
  auto writer = open_writer();
  ASSERT_TRUE(writer);
  const std::vector<std::string> chunks = {"a", "\xE2\x82", "\xAC", "\"quoted\" \\ \x01", "\xFF", ""};
  std::size_t expected_lines = 1;
  for (const auto& chunk : chunks) {
    writer->output(chunk);
    const std::string content = read_file(path_);
    EXPECT_EQ(content.back(), '\n');
    EXPECT_EQ(writer->bytes_written(), content.size());
    const auto lines = read_lines(path_);
    for (const auto& line : lines) EXPECT_FALSE(json::parse(line, nullptr, false).is_discarded()) << line;
    if (!chunk.empty() && chunk != "\xE2\x82") ++expected_lines;  // the held-back half writes nothing
    EXPECT_EQ(lines.size(), expected_lines) << "after chunk of " << chunk.size() << " bytes";
  }
  EXPECT_EQ(text_of("o"), "a\xE2\x82\xAC\"quoted\" \\ \x01" + kFffd);
}

TEST_F(AsciicastWriterTest, SplitCharactersComeOutWholeAtEverySplitPoint) {
  for (const std::string ch : {"\xC3\xA9", "\xE2\x82\xAC", "\xF0\x9F\x98\x80"}) {
    for (std::size_t k = 1; k < ch.size(); ++k) {
      SCOPED_TRACE("char length " + std::to_string(ch.size()) + " split at " + std::to_string(k));
      auto writer = open_writer();
      ASSERT_TRUE(writer);
      writer->output("x" + ch.substr(0, k));
      writer->output(ch.substr(k) + "y");
      writer->close();
      const auto evs = events();
      ASSERT_EQ(evs.size(), 2u);
      EXPECT_EQ(evs[0][2], "x");
      EXPECT_EQ(evs[1][2], ch + "y");
    }
  }
}

TEST_F(AsciicastWriterTest, OutputAndInputKeepSeparateTails) {
  auto writer = open_writer();
  ASSERT_TRUE(writer);
  writer->output("\xE2\x82");  // first two bytes of the euro sign
  writer->input("\xC3");       // first byte of e-acute
  writer->output("\xAC");
  writer->input("\xA9");
  writer->close();
  EXPECT_EQ(text_of("o"), "\xE2\x82\xAC");
  EXPECT_EQ(text_of("i"), "\xC3\xA9");
}

TEST_F(AsciicastWriterTest, InvalidBytesBecomeReplacementCharacters) {
  auto writer = open_writer();
  ASSERT_TRUE(writer);
  writer->output("\xFF");
  writer->output("\x80");
  writer->output("\xC0\x80");
  writer->output("\xED\xA0\x80");
  writer->input("\xFF");
  const auto evs = events();
  ASSERT_EQ(evs.size(), 5u);
  EXPECT_EQ(evs[0][2], kFffd);
  EXPECT_EQ(evs[1][2], kFffd);
  EXPECT_EQ(evs[2][2], kFffd + kFffd);
  EXPECT_EQ(evs[3][2], kFffd + kFffd + kFffd);
  EXPECT_EQ(evs[4][1], "i");
  EXPECT_EQ(evs[4][2], kFffd);
}

TEST_F(AsciicastWriterTest, TruncatedSequenceAtCloseBecomesReplacement) {
  auto writer = open_writer();
  ASSERT_TRUE(writer);
  writer->output("end\xF0\x9F\x98");
  EXPECT_EQ(events().size(), 1u);  // "end" written, three bytes held back
  writer->close();
  writer->close();  // idempotent
  const auto evs = events();
  ASSERT_EQ(evs.size(), 2u);
  EXPECT_EQ(evs[0][2], "end");
  EXPECT_EQ(evs[1][1], "o");
  EXPECT_EQ(evs[1][2], kFffd);
}

TEST_F(AsciicastWriterTest, DestructorFlushesHeldBackBytes) {
  {
    auto writer = open_writer();
    ASSERT_TRUE(writer);
    writer->input("\xC3");
  }
  EXPECT_EQ(text_of("i"), kFffd);
}

TEST_F(AsciicastWriterTest, EmptyChunksWriteNothingAndWritesAfterCloseAreIgnored) {
  auto writer = open_writer();
  ASSERT_TRUE(writer);
  writer->output("");
  writer->input("");
  EXPECT_EQ(read_lines(path_).size(), 1u);
  writer->close();
  writer->output("late");
  EXPECT_EQ(read_lines(path_).size(), 1u);
}

TEST_F(AsciicastWriterTest, CreatesFileWithMode0640AndTruncates) {
  const mode_t old_mask = ::umask(022);
  {
    std::ofstream(path_) << "old content that must go\n";
    ::chmod(path_.c_str(), 0640);
    auto writer = open_writer();
    ASSERT_TRUE(writer);
  }
  ::umask(old_mask);
  EXPECT_EQ(read_lines(path_).size(), 1u);
  EXPECT_EQ(read_file(path_).find("old content"), std::string::npos);
  const std::string fresh = dir_.file("fresh.cast");
  ::umask(022);
  auto writer = AsciicastWriter::open(fresh, {});
  ::umask(old_mask);
  ASSERT_TRUE(writer);
  struct stat st {};
  ASSERT_EQ(::stat(fresh.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0640u);
}

TEST_F(AsciicastWriterTest, OpenFailsWithMessageNamingThePath) {
  const std::string missing = dir_.file("no/such/dir/s.cast");
  auto writer = AsciicastWriter::open(missing, {});
  ASSERT_FALSE(writer);
  EXPECT_NE(writer.error().message.find(missing), std::string::npos) << writer.error().message;
}

TEST_F(AsciicastWriterTest, RefusesToFollowASymlink) {
  const std::string target = dir_.file("target");
  std::ofstream(target) << "keep me";
  std::filesystem::create_symlink(target, path_);
  EXPECT_FALSE(AsciicastWriter::open(path_, {}));
  EXPECT_EQ(read_file(target), "keep me");
}

}  // namespace
}  // namespace hermes::record

namespace hermes::record {
namespace {

TEST(AsciicastWriterDigest, IsTheSha256OfTheFileAsWritten) {
  const std::string path = ::testing::TempDir() + "/digest-" + std::to_string(::getpid()) + ".cast";
  auto writer = AsciicastWriter::open(path, AsciicastHeader{});
  ASSERT_TRUE(writer) << writer.error().message;
  (*writer)->output("hello \xe2\x82");  // a split character held back, completed below
  (*writer)->output("\xac world\xff");
  (*writer)->resize(100, 30);
  EXPECT_EQ((*writer)->sha256(), "");  // not before close
  (*writer)->close();
  std::ifstream in(path, std::ios::binary);
  const std::string contents((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ((*writer)->sha256(), sha256_hex(contents));
  EXPECT_EQ((*writer)->bytes_written(), contents.size());
  std::remove(path.c_str());
}

}  // namespace
}  // namespace hermes::record
