#include "record/artifact_store.hpp"

#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "record/session_metadata.hpp"

namespace hermes::record {
namespace {

constexpr mode_t kArtifactMode = 0440;

std::string errno_text(int err) { return std::strerror(err); }

}  // namespace

bool is_artifact_name(std::string_view name) {
  if (name.size() != 64) return false;
  for (char c : name)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

ArtifactWriter::ArtifactWriter(std::string dir, std::string temp_path, UniqueFd fd)
    : dir_(std::move(dir)), temp_path_(std::move(temp_path)), fd_(std::move(fd)) {}

ArtifactWriter::~ArtifactWriter() {
  if (!committed_) ::unlink(temp_path_.c_str());
}

Result<void> ArtifactWriter::write(std::string_view bytes) {
  hash_.update(bytes);
  size_ += bytes.size();
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd_.get(), bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return fail("artifact store: writing " + temp_path_ + ": " + errno_text(errno), errno);
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return {};
}

Result<StoredArtifact> ArtifactWriter::commit() {
  if (committed_) return fail("artifact store: file already committed");
  if (fd_.close_checked() != 0) return fail("artifact store: closing " + temp_path_ + ": " + errno_text(errno), errno);
  StoredArtifact out;
  out.sha256 = hash_.hex_digest();
  out.size = size_;
  out.path = dir_ + "/" + out.sha256;
  if (::renameat2(AT_FDCWD, temp_path_.c_str(), AT_FDCWD, out.path.c_str(), RENAME_NOREPLACE) == 0) {
    committed_ = true;
    return out;
  }
  if (errno != EEXIST) return fail("artifact store: naming " + out.path + ": " + errno_text(errno), errno);
  out.duplicate = true;
  ::utimensat(AT_FDCWD, out.path.c_str(), nullptr, AT_SYMLINK_NOFOLLOW);  // best effort: keeps it "recent"
  return out;  // the destructor removes the temporary copy
}

Result<std::unique_ptr<ArtifactWriter>> ArtifactStore::begin() const {
  if (auto made = ensure_directory(dir_); !made) return std::unexpected(made.error());
  std::string pattern = dir_ + "/.partial-XXXXXX";
  std::vector<char> buffer(pattern.begin(), pattern.end());
  buffer.push_back('\0');
  UniqueFd fd(::mkostemp(buffer.data(), O_CLOEXEC));
  if (!fd) return fail("artifact store: creating a file in " + dir_ + ": " + errno_text(errno), errno);
  std::string temp_path(buffer.data());
  // Inert from the start: readable by owner and group only, never writable or executable by path.
  if (::fchmod(fd.get(), kArtifactMode) != 0) {
    const int err = errno;
    ::unlink(temp_path.c_str());
    return fail("artifact store: chmod " + temp_path + ": " + errno_text(err), err);
  }
  return std::make_unique<ArtifactWriter>(dir_, std::move(temp_path), std::move(fd));
}

}  // namespace hermes::record
