#include "sandbox/stream_demuxer.hpp"

#include <gtest/gtest.h>

namespace hermes::sandbox {
namespace {

using Chunk = StreamDemuxer::Chunk;

std::string frame(int stream, std::string_view payload) {
  const auto n = static_cast<uint32_t>(payload.size());
  std::string out{static_cast<char>(stream), 0, 0, 0,
                  static_cast<char>(n >> 24), static_cast<char>(n >> 16),
                  static_cast<char>(n >> 8), static_cast<char>(n)};
  out.append(payload);
  return out;
}

// Concatenates what each stream received, regardless of how it was chunked.
std::string joined(const std::vector<Chunk>& chunks, int stream) {
  std::string out;
  for (const auto& chunk : chunks) {
    if (chunk.stream == stream) out += chunk.data;
  }
  return out;
}

TEST(StreamDemuxer, WholeFrameInOneFeed) {
  StreamDemuxer demuxer;
  std::vector<Chunk> out;
  ASSERT_TRUE(demuxer.feed(frame(1, "hello\n"), out));
  EXPECT_EQ(out, (std::vector<Chunk>{{1, "hello\n"}}));
  EXPECT_TRUE(demuxer.at_frame_boundary());
}

TEST(StreamDemuxer, InterleavedStdoutAndStderrKeepTheirOrder) {
  StreamDemuxer demuxer;
  std::vector<Chunk> out;
  ASSERT_TRUE(demuxer.feed(frame(1, "out1") + frame(2, "err1") + frame(1, "out2"), out));
  EXPECT_EQ(out, (std::vector<Chunk>{{1, "out1"}, {2, "err1"}, {1, "out2"}}));
}

TEST(StreamDemuxer, AdjacentFramesOfOneStreamMergeWithinAFeed) {
  StreamDemuxer demuxer;
  std::vector<Chunk> out;
  ASSERT_TRUE(demuxer.feed(frame(1, "ab") + frame(1, "cd"), out));
  EXPECT_EQ(out, (std::vector<Chunk>{{1, "abcd"}}));
}

TEST(StreamDemuxer, DoesNotAppendToChunksFromEarlierCalls) {
  StreamDemuxer demuxer;
  std::vector<Chunk> out{{1, "kept"}};
  ASSERT_TRUE(demuxer.feed(frame(1, "new"), out));
  EXPECT_EQ(out, (std::vector<Chunk>{{1, "kept"}, {1, "new"}}));
}

TEST(StreamDemuxer, ZeroLengthFramesProduceNothing) {
  StreamDemuxer demuxer;
  std::vector<Chunk> out;
  ASSERT_TRUE(demuxer.feed(frame(1, "") + frame(2, "") + frame(2, "x") + frame(1, ""), out));
  EXPECT_EQ(out, (std::vector<Chunk>{{2, "x"}}));
  EXPECT_TRUE(demuxer.at_frame_boundary());
}

TEST(StreamDemuxer, PayloadIsEmittedBeforeItsFrameIsComplete) {
  StreamDemuxer demuxer;
  const std::string bytes = frame(1, "abcdef");
  std::vector<Chunk> out;
  ASSERT_TRUE(demuxer.feed(std::string_view(bytes).substr(0, 10), out));  // header + "ab"
  EXPECT_EQ(out, (std::vector<Chunk>{{1, "ab"}}));
  EXPECT_FALSE(demuxer.at_frame_boundary());
  out.clear();
  ASSERT_TRUE(demuxer.feed(std::string_view(bytes).substr(10), out));
  EXPECT_EQ(out, (std::vector<Chunk>{{1, "cdef"}}));
  EXPECT_TRUE(demuxer.at_frame_boundary());
}

TEST(StreamDemuxer, HeadersSplitAtEveryOffset) {
  const std::string bytes = frame(1, "out") + frame(2, "err") + frame(1, "") + frame(1, "more");
  for (std::size_t split = 0; split <= bytes.size(); ++split) {
    StreamDemuxer demuxer;
    std::vector<Chunk> out;
    ASSERT_TRUE(demuxer.feed(std::string_view(bytes).substr(0, split), out)) << split;
    ASSERT_TRUE(demuxer.feed(std::string_view(bytes).substr(split), out)) << split;
    EXPECT_EQ(joined(out, 1), "outmore") << "split at " << split;
    EXPECT_EQ(joined(out, 2), "err") << "split at " << split;
    EXPECT_TRUE(demuxer.at_frame_boundary());
  }
}

TEST(StreamDemuxer, OneByteAtATime) {
  const std::string bytes = frame(2, "e") + frame(1, "hello") + frame(0, "in");
  StreamDemuxer demuxer;
  std::vector<Chunk> out;
  for (char c : bytes) ASSERT_TRUE(demuxer.feed(std::string_view(&c, 1), out));
  EXPECT_EQ(joined(out, 0), "in");
  EXPECT_EQ(joined(out, 1), "hello");
  EXPECT_EQ(joined(out, 2), "e");
}

TEST(StreamDemuxer, LengthUsesAllFourBigEndianBytes) {
  const std::string payload(0x010203, 'z');
  StreamDemuxer demuxer;
  std::vector<Chunk> out;
  ASSERT_TRUE(demuxer.feed(frame(1, payload) + frame(2, "tail"), out));
  EXPECT_EQ(joined(out, 1).size(), payload.size());
  EXPECT_EQ(joined(out, 2), "tail");
}

TEST(StreamDemuxer, RejectsStreamByteAboveTwoAndStaysFailed) {
  StreamDemuxer demuxer;
  std::vector<Chunk> out;
  std::string bad = frame(1, "ok") + frame(3, "bad");
  EXPECT_FALSE(demuxer.feed(bad, out));
  EXPECT_TRUE(demuxer.failed());
  EXPECT_EQ(out, (std::vector<Chunk>{{1, "ok"}}));  // what came before stays valid
  EXPECT_FALSE(demuxer.feed(frame(1, "later"), out));
  EXPECT_EQ(out.size(), 1u);
}

TEST(StreamDemuxer, RejectsNonZeroPaddingInAnyPosition) {
  for (int position = 1; position <= 3; ++position) {
    std::string header = frame(1, "x");
    header[position] = 1;
    StreamDemuxer demuxer;
    std::vector<Chunk> out;
    EXPECT_FALSE(demuxer.feed(header, out)) << position;
    EXPECT_TRUE(out.empty());
  }
}

TEST(StreamDemuxer, RawTtyTextIsRejectedNotMisparsed) {
  // What a Tty=true stream looks like: plain text. Its first byte is not a stream number.
  StreamDemuxer demuxer;
  std::vector<Chunk> out;
  EXPECT_FALSE(demuxer.feed("root@host:~# ", out));
  EXPECT_TRUE(out.empty());
}

}  // namespace
}  // namespace hermes::sandbox
