#include "session/file_transfer.hpp"

#include <algorithm>

namespace hermes::session {

void ContentDigest::give_up(const char* reason) {
  if (unknown_reason_ == nullptr) unknown_reason_ = reason;
  held_.clear();
  held_bytes_ = 0;
}

void ContentDigest::add(uint64_t offset, std::string_view data) {
  if (data.empty()) return;
  const uint64_t end = offset + data.size();
  if (end < offset) {  // wraps: nonsense offset
    give_up("offset out of range");
    return;
  }
  highest_ = std::max(highest_, end);
  if (unknown_reason_ != nullptr) return;
  if (offset < next_) {
    give_up("content rewritten");
    return;
  }
  if (offset > next_) {
    if (held_bytes_ + data.size() > kMaxHeldBytes || held_.contains(offset)) {
      give_up(held_.contains(offset) ? "content rewritten" : "out-of-order writes beyond the reassembly limit");
      return;
    }
    held_.emplace(offset, std::string(data));
    held_bytes_ += data.size();
    return;
  }
  hash_->update(data);
  next_ = end;
  // Chunks that were waiting for this one.
  while (!held_.empty() && held_.begin()->first <= next_) {
    auto node = held_.extract(held_.begin());
    held_bytes_ -= node.mapped().size();
    if (node.key() < next_) {
      give_up("content rewritten");
      return;
    }
    hash_->update(node.mapped());
    next_ += node.mapped().size();
  }
}

void ContentDigest::finish(FileTransfer& transfer) {
  if (unknown_reason_ == nullptr && !held_.empty()) unknown_reason_ = "gaps in the content";
  transfer.size = unknown_reason_ == nullptr ? next_ : highest_;
  if (unknown_reason_ == nullptr) {
    transfer.shasum = hash_->hex_digest();
  } else {
    transfer.shasum.reset();
    transfer.note = unknown_reason_;
  }
}

}  // namespace hermes::session
