#pragma once
// Keeping what an attacker wrote to tmpfs mounts (/tmp, /dev/shm). Those files live only in the
// container's memory: Docker's change list does not show them and they vanish when the container
// stops. hermes-init copies their regular files into the writable layer, under kPreserveStore,
// where Hermes finds them in the change list after the container stopped (docs/security.md).
// It runs when the login shell ends (PID 1, before exiting) and as `/proc/1/exe --preserve-tmpfs`,
// which Hermes execs in a container still running at session end.
#include <cstdint>
#include <string>
#include <vector>

namespace hermes::init {

inline constexpr const char* kPreserveStore = "/.hermes-tmpfs";
inline constexpr const char* kPreserveFlag = "--preserve-tmpfs";

struct PreserveLimits {
  std::size_t max_files = 100000;
  std::uint64_t max_bytes = std::uint64_t{1} << 30;
  int max_depth = 64;
};

struct PreserveOutcome {
  std::size_t files = 0;
  std::uint64_t bytes = 0;
  std::size_t failures = 0;  // entries that could not be read or written
};

// Removes the store and everything in it. Symlinks are removed, never followed; other mounts
// are not entered. The tree may be the attacker's (planted files, a symlinked store), so nothing
// in it is trusted. Best effort.
void clear_preserve_store(const std::string& store);

// Copies every regular file under each root (an absolute path, e.g. "/tmp") to
// <store><root>/<relative path>, into a store cleared first: whatever was in it before (files
// an attacker planted there to be reported as theirs from /tmp) is gone. Walks by directory descriptors, never follows a symlink (on
// either side), stays on the root's filesystem; each file is written as <store>/.part and then
// renamed into place, so a copy cut short never carries a real name.
PreserveOutcome preserve_tmpfs(const std::vector<std::string>& roots, const std::string& store,
                               const PreserveLimits& limits = PreserveLimits());

// The --preserve-tmpfs mode: /tmp and /dev/shm into kPreserveStore. Exit status 0, or 1 when
// the store could not be made.
int preserve_tmpfs_main();

}  // namespace hermes::init
