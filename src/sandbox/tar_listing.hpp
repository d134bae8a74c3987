#pragma once
// Reads through an existing tar archive (the cached Debian base rootfs, made by GNU tar in POSIX
// format) without unpacking it: where its end-of-archive marker starts, so more entries can be
// appended when it is streamed to Docker, which directories and symlinks it holds, so appended
// entries neither clobber a directory's owner nor write through a symlink blindly, and the
// contents of a few small files (/etc/passwd, /etc/group) to resolve owner names.
// The archive is treated as untrusted input: sizes, names and counts are bounded.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <utility>

#include "common/result.hpp"

namespace hermes::sandbox {

struct TarListing {
  std::uint64_t end_offset = 0;  // offset of the first zero block (the end-of-archive marker)
  std::size_t entries = 0;
  std::set<std::string> directories;            // normalized: "etc", "home/admin"
  std::map<std::string, std::string> symlinks;  // path -> link target as stored
  std::map<std::string, std::string> captured;  // path -> content, for the paths asked for
  // path -> [first byte, end) of its entry, extended headers included: what to leave out when
  // another entry of that path is appended (Docker's import refuses duplicate paths).
  std::map<std::string, std::pair<std::uint64_t, std::uint64_t>> spans;
};

struct TarListingLimits {
  std::size_t max_entries = 1'000'000;
  std::size_t max_captured_bytes = 1024 * 1024;  // per captured file
  std::size_t max_extended_header = 1024 * 1024;  // pax 'x' records, GNU long names
};

// Fills `buffer` with up to `size` bytes; 0 means end of input.
using TarRead = std::function<Result<std::size_t>(char* buffer, std::size_t size)>;

// "./etc//passwd/" -> "etc/passwd"; "." and "./" -> "".
std::string normalize_tar_path(std::string_view path);

Result<TarListing> list_tar(const TarRead& read, const std::set<std::string>& capture,
                            const TarListingLimits& limits = TarListingLimits{});

}  // namespace hermes::sandbox
