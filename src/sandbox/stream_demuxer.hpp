#pragma once
// Splits the multiplexed stream Docker sends for a Tty=false attach/exec into stdout and stderr.
// Each frame is an 8-byte header [stream (0 stdin, 1 stdout, 2 stderr), 0, 0, 0, length as
// big-endian uint32] followed by `length` payload bytes. Payload is handed out as soon as it
// arrives, never held back until its frame is complete, so an attacker's terminal sees output
// with no added latency; only a partial header (at most 8 bytes) is ever buffered.
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace hermes::sandbox {

class StreamDemuxer {
 public:
  struct Chunk {
    int stream;  // 0 stdin, 1 stdout, 2 stderr
    std::string data;
    bool operator==(const Chunk&) const = default;
  };

  // Appends the payload carried by `bytes` to `out`. Adjacent payload of one stream within a
  // call is merged into one chunk; zero-length frames add nothing. Returns false on a malformed
  // header (stream byte above 2 or non-zero padding) and from then on: the stream is not
  // Docker's framing, and guessing where the next frame starts would only emit garbage. Chunks
  // appended before the malformed header stay in `out`.
  bool feed(std::string_view bytes, std::vector<Chunk>& out);

  bool failed() const { return failed_; }
  // True between frames: no partial header buffered and no payload still owed.
  bool at_frame_boundary() const { return header_size_ == 0 && payload_remaining_ == 0; }

  static constexpr std::size_t kHeaderSize = 8;

 private:
  // Consumes header bytes from `bytes`; returns how many it took.
  std::size_t take_header_bytes(std::string_view bytes);
  bool header_is_valid() const;

  std::array<unsigned char, kHeaderSize> header_{};
  std::size_t header_size_ = 0;
  uint32_t payload_remaining_ = 0;
  int stream_ = 0;
  bool failed_ = false;
};

}  // namespace hermes::sandbox
