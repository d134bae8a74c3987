#pragma once
// An in-memory POSIX ustar archive: what `hermes image build` feeds to Docker's image import.
// Only what a rootfs needs: directories, regular files and symlinks, owned by root (0:0) unless
// the entry's attributes say otherwise.
// Names are checked, never silently truncated: a wrong name would become a wrong file in every
// target container.
#include <cstdint>
#include <ctime>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace hermes::sandbox {

// Owner, permission bits and modification time of one entry; no mtime: the writer's own.
struct TarAttributes {
  unsigned mode = 0644;
  unsigned uid = 0;
  unsigned gid = 0;
  std::optional<std::time_t> mtime;
};

class TarWriter {
 public:
  explicit TarWriter(std::time_t mtime);

  // `path` is relative to the archive root ("bin/busybox"; a leading '/' is dropped). Paths that
  // are empty, contain NUL, "." or ".." components, or do not fit ustar's 155-byte prefix plus
  // 100-byte name are rejected. `mode` holds permission bits only (07777).
  Result<void> add_directory(std::string_view path, unsigned mode);
  Result<void> add_file(std::string_view path, std::string_view content, unsigned mode);
  // A symlink's target must fit the 100-byte linkname field.
  Result<void> add_symlink(std::string_view path, std::string_view target);

  // The same with an owner and time of their own (the symlink's mode is ignored: always 0777).
  Result<void> add_directory(std::string_view path, const TarAttributes& attributes);
  Result<void> add_file(std::string_view path, std::string_view content, const TarAttributes& attributes);
  Result<void> add_symlink(std::string_view path, std::string_view target, const TarAttributes& attributes);

  std::size_t size() const { return archive_.size(); }
  // Appends the end-of-archive marker (two zero blocks) and hands the archive over.
  std::string finish() &&;

 private:
  Result<void> add_entry(std::string_view path, char type, const TarAttributes& attributes,
                         std::string_view content, std::string_view link_target);

  std::time_t mtime_;
  std::string archive_;
};

}  // namespace hermes::sandbox
