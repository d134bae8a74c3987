#include "sandbox/stream_demuxer.hpp"

#include <algorithm>

namespace hermes::sandbox {

std::size_t StreamDemuxer::take_header_bytes(std::string_view bytes) {
  const std::size_t take = std::min(kHeaderSize - header_size_, bytes.size());
  std::copy_n(bytes.begin(), take, header_.begin() + static_cast<std::ptrdiff_t>(header_size_));
  header_size_ += take;
  return take;
}

bool StreamDemuxer::header_is_valid() const {
  return header_[0] <= 2 && header_[1] == 0 && header_[2] == 0 && header_[3] == 0;
}

bool StreamDemuxer::feed(std::string_view bytes, std::vector<Chunk>& out) {
  if (failed_) return false;
  // Only chunks created by this call may be extended; the caller may keep older ones in `out`.
  const std::size_t first_new_chunk = out.size();
  while (!bytes.empty()) {
    if (payload_remaining_ == 0) {
      bytes.remove_prefix(take_header_bytes(bytes));
      if (header_size_ < kHeaderSize) break;
      if (!header_is_valid()) {
        failed_ = true;
        return false;
      }
      stream_ = header_[0];
      payload_remaining_ = (uint32_t{header_[4]} << 24) | (uint32_t{header_[5]} << 16) |
                           (uint32_t{header_[6]} << 8) | uint32_t{header_[7]};
      header_size_ = 0;
      continue;  // a zero-length frame simply ends here
    }
    const std::size_t take = std::min<std::size_t>(payload_remaining_, bytes.size());
    const std::string_view payload = bytes.substr(0, take);
    if (out.size() > first_new_chunk && out.back().stream == stream_) {
      out.back().data.append(payload);
    } else {
      out.push_back(Chunk{stream_, std::string(payload)});
    }
    payload_remaining_ -= static_cast<uint32_t>(take);
    bytes.remove_prefix(take);
  }
  return true;
}

}  // namespace hermes::sandbox
