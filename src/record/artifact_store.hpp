#pragma once
// The content-addressed artifact store: each file an attacker left is kept once, as
// <dir>/<sha256 hex>, mode 0440 (never executable, never writable). A file is written to a
// temporary name first and only renamed to its hash once complete, without replacing an
// existing one (renameat2 RENAME_NOREPLACE): a hash name always holds exactly those bytes.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "common/result.hpp"
#include "common/sha256.hpp"
#include "common/unique_fd.hpp"

namespace hermes::record {

struct StoredArtifact {
  std::string sha256;
  std::uint64_t size = 0;
  bool duplicate = false;  // the store already held these bytes; the existing file was kept
  std::string path;        // <dir>/<sha256>
};

// One file being written; the temporary file is removed unless commit() succeeded.
class ArtifactWriter {
 public:
  ArtifactWriter(std::string dir, std::string temp_path, UniqueFd fd);
  ~ArtifactWriter();
  ArtifactWriter(const ArtifactWriter&) = delete;
  ArtifactWriter& operator=(const ArtifactWriter&) = delete;

  Result<void> write(std::string_view bytes);
  // Names the file by its hash. A duplicate's existing file gets a fresh mtime, so retention
  // (which goes by mtime) sees that it is still in use.
  Result<StoredArtifact> commit();
  std::uint64_t size() const { return size_; }

 private:
  std::string dir_;
  std::string temp_path_;
  UniqueFd fd_;
  Sha256 hash_;
  std::uint64_t size_ = 0;
  bool committed_ = false;
};

class ArtifactStore {
 public:
  explicit ArtifactStore(std::string dir) : dir_(std::move(dir)) {}
  // Creates the directory if needed and opens a new temporary file (".partial-XXXXXX").
  Result<std::unique_ptr<ArtifactWriter>> begin() const;
  const std::string& dir() const { return dir_; }

 private:
  std::string dir_;
};

// True for names the store gives finished artifacts (64 lowercase hex digits).
bool is_artifact_name(std::string_view name);

}  // namespace hermes::record
