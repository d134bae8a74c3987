#pragma once
// A file seen crossing an SFTP or SCP channel, and the digest of its content as it streamed by.
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/sha256.hpp"

namespace hermes::session {

struct FileTransfer {
  enum class Direction { upload, download };
  Direction direction = Direction::upload;
  std::string protocol;  // "sftp" or "scp"
  std::string filename;  // as the protocol named it
  std::string target;    // scp: the path argument of the `scp -t`/`-f` command
  uint64_t size = 0;     // bytes of content transferred
  std::optional<std::string> shasum;  // SHA-256 hex; empty when the content could not be followed
  std::string note;      // why shasum is missing, or why the transfer is incomplete; empty if neither
};

// Hashes a file's content from chunks at offsets. Chunks usually come in order; those ahead of
// the next expected offset are held (at most kMaxHeldBytes per file) until the gap fills. A gap
// that never fills, an overlap (a rewrite) or too much held data make the hash unknown; the size
// is then the highest end offset seen.
class ContentDigest {
 public:
  static constexpr std::size_t kMaxHeldBytes = 4 * 1024 * 1024;

  void add(uint64_t offset, std::string_view data);
  // Finalises: fills `transfer.size`, `shasum` and `note`.
  void finish(FileTransfer& transfer);

 private:
  void give_up(const char* reason);

  std::unique_ptr<Sha256> hash_ = std::make_unique<Sha256>();
  uint64_t next_ = 0;      // content hashed so far is [0, next_)
  uint64_t highest_ = 0;   // highest end offset of any chunk
  std::map<uint64_t, std::string> held_;
  std::size_t held_bytes_ = 0;
  const char* unknown_reason_ = nullptr;
};

}  // namespace hermes::session
