// Feeds arbitrary bytes to StreamDemuxer in arbitrary splits and checks that what comes out is
// exactly what a whole-buffer reference parse of Docker's framing gives: the same bytes per
// stream in the same order, and failure at the same malformed header.
//
// Input layout: byte 0 = how many split-size bytes follow (0..15); those bytes give the sizes
// of successive feeds (cycled; 0 means an empty feed); the rest is the stream itself.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sandbox/stream_demuxer.hpp"

namespace {

using hermes::sandbox::StreamDemuxer;
using Output = std::vector<std::pair<int, std::string>>;

void append(Output& out, int stream, std::string_view bytes) {
  if (bytes.empty()) return;
  if (!out.empty() && out.back().first == stream) {
    out.back().second.append(bytes);
  } else {
    out.emplace_back(stream, std::string(bytes));
  }
}

// Straightforward parse of the whole buffer: frame after frame until the bytes run out.
std::pair<Output, bool> reference_parse(std::string_view bytes) {
  Output out;
  while (bytes.size() >= 8) {
    const auto* h = reinterpret_cast<const unsigned char*>(bytes.data());
    if (h[0] > 2 || h[1] != 0 || h[2] != 0 || h[3] != 0) return {out, false};
    const uint32_t length = (uint32_t{h[4]} << 24) | (uint32_t{h[5]} << 16) | (uint32_t{h[6]} << 8) | h[7];
    bytes.remove_prefix(8);
    const std::size_t take = std::min<std::size_t>(length, bytes.size());
    append(out, h[0], bytes.substr(0, take));
    bytes.remove_prefix(take);
  }
  return {out, true};
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::size_t split_count = std::min<std::size_t>(data[0] % 16, size - 1);
  const uint8_t* splits = data + 1;
  const std::string_view stream(reinterpret_cast<const char*>(data + 1 + split_count),
                                size - 1 - split_count);

  StreamDemuxer demuxer;
  Output fed;
  bool ok = true;
  std::size_t offset = 0;
  const auto feed = [&](std::string_view bytes) {
    std::vector<StreamDemuxer::Chunk> chunks;
    ok = demuxer.feed(bytes, chunks);
    for (const auto& chunk : chunks) {
      if (chunk.stream < 0 || chunk.stream > 2 || chunk.data.empty()) std::abort();
      append(fed, chunk.stream, chunk.data);
    }
  };
  // Zero-size splits feed empty slices; the bound keeps all-zero split lists finite.
  for (std::size_t i = 0; ok && offset < stream.size() && i < stream.size() + 64; ++i) {
    const std::size_t piece = split_count == 0 ? stream.size() : splits[i % split_count];
    const std::string_view bytes = stream.substr(offset, piece);
    offset += bytes.size();
    feed(bytes);
  }
  if (ok && offset < stream.size()) feed(stream.substr(offset));

  const auto [expected, expected_ok] = reference_parse(stream);
  if (ok != expected_ok || fed != expected) std::abort();
  if (ok != !demuxer.failed()) std::abort();
  return 0;
}
