// recording.max_bytes: the writer's size cap.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "record/asciicast_writer.hpp"
#include "unit/record/cast_reading.hpp"
#include "unit/record/test_files.hpp"

namespace hermes::record {
namespace {

using hermes::testing::read_file;
using hermes::testing::read_lines;
using hermes::testing::TempDir;
using nlohmann::json;

constexpr uint64_t kCap = 4096;

class AsciicastCapTest : public ::testing::Test {
 protected:
  std::unique_ptr<AsciicastWriter> open_writer(uint64_t cap = kCap) {
    auto writer = AsciicastWriter::open(path_, AsciicastHeader{}, cap);
    EXPECT_TRUE(writer.has_value()) << (writer ? "" : writer.error().message);
    return writer ? std::move(*writer) : nullptr;
  }

  std::vector<json> events() { return testing::read_cast_events(path_); }

  std::size_t count_of(const std::string& code) {
    std::size_t n = 0;
    for (const auto& e : events()) n += e[1] == code;
    return n;
  }

  TempDir dir_;
  std::string path_ = dir_.file("s.cast");
};

TEST_F(AsciicastCapTest, AnOutputFloodStopsBelowTheCapWithOneMarker) {
  auto writer = open_writer();
  ASSERT_TRUE(writer);
  const std::string chunk(100, 'y');
  uint64_t offered = 0;
  for (int i = 0; i < 200; ++i) {
    writer->output(chunk);
    offered += chunk.size();
  }
  writer->close();
  const std::string file = read_file(path_);
  EXPECT_LE(file.size(), kCap);
  EXPECT_EQ(writer->bytes_written(), file.size());
  EXPECT_TRUE(writer->truncated());
  EXPECT_EQ(count_of("m"), 1u);
  // Output stopped at the output budget (cap minus the input reserve).
  EXPECT_GT(file.size(), kCap - kCap / AsciicastWriter::kInputReserveDivisor - 200);
  // Every byte offered is either in the file or counted as unrecorded.
  uint64_t recorded = 0;
  for (const auto& e : events())
    if (e[1] == "o") recorded += e[2].get<std::string>().size();
  EXPECT_EQ(recorded + writer->output_bytes_unrecorded(), offered);
  EXPECT_GT(writer->output_bytes_unrecorded(), 0u);
}

TEST_F(AsciicastCapTest, KeystrokesAfterAFloodAreStillRecordedInTheReserve) {
  auto writer = open_writer();
  ASSERT_TRUE(writer);
  writer->output(std::string(5000, 'y'));  // one line that cannot fit: refused whole
  writer->output("small");                 // would fit, but output stays off: no holes
  writer->input("cat /etc/shadow\r");
  writer->close();
  EXPECT_TRUE(writer->truncated());
  EXPECT_EQ(count_of("o"), 0u);
  EXPECT_EQ(count_of("i"), 1u);
  EXPECT_EQ(writer->output_bytes_unrecorded(), 5005u);
  EXPECT_EQ(writer->input_bytes_unrecorded(), 0u);
}

TEST_F(AsciicastCapTest, InputStopsAtTheCapItselfAndIsCounted) {
  auto writer = open_writer();
  ASSERT_TRUE(writer);
  for (int i = 0; i < 100; ++i) writer->input(std::string(100, 'a'));
  writer->close();
  EXPECT_LE(read_file(path_).size(), kCap);
  EXPECT_TRUE(writer->truncated());
  EXPECT_GT(writer->input_bytes_unrecorded(), 0u);
  events();  // still valid
}

TEST_F(AsciicastCapTest, EscapedBytesCountAsWrittenNotAsOffered) {
  // Control bytes become six-byte \u escapes: the cap is on the file, not the session bytes.
  auto writer = open_writer();
  ASSERT_TRUE(writer);
  for (int i = 0; i < 50; ++i) writer->output(std::string(100, '\x01'));
  writer->close();
  EXPECT_LE(read_file(path_).size(), kCap);
  EXPECT_TRUE(writer->truncated());
  events();
}

TEST_F(AsciicastCapTest, SplitCharacterHeldBackIsCountedWithTheRefusedChunk) {
  auto writer = open_writer();
  ASSERT_TRUE(writer);
  writer->output(std::string(4000, 'y'));
  writer->output("\xe2\x82");      // incomplete: held back, nothing refused yet
  writer->output("\xac" "abc");   // completes the euro sign; refused with it
  writer->close();
  EXPECT_EQ(writer->output_bytes_unrecorded(), 4000u + 3u + 3u);
}

TEST_F(AsciicastCapTest, ZeroMeansNoCap) {
  auto writer = open_writer(0);
  ASSERT_TRUE(writer);
  for (int i = 0; i < 100; ++i) writer->output(std::string(1000, 'y'));
  writer->close();
  EXPECT_GT(read_file(path_).size(), 100000u);
  EXPECT_FALSE(writer->truncated());
  EXPECT_EQ(writer->output_bytes_unrecorded(), 0u);
}

}  // namespace
}  // namespace hermes::record
