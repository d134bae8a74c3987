#pragma once
// The "minimal" target profile: a Debian-looking root filesystem made of the host's static
// busybox (Debian's busybox-static) and hermes-init as /sbin/init, as an in-memory tar.
#include <ctime>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"

namespace hermes::sandbox {

struct MinimalRootfsInputs {
  std::string busybox_path = "/bin/busybox";
  std::string init_path;  // the static hermes-init executable
  std::time_t mtime = 0;  // for every entry
  std::function<void(std::string_view)> progress;  // may be empty
};

// Parses `busybox --list-full` ("bin/ash\nusr/bin/awk\n..."): sorted, de-duplicated relative
// paths, without the applets our own init replaces (init, linuxrc). Rejects odd names.
Result<std::vector<std::string>> parse_applet_list(std::string_view text);

// Reads both executables (both must be static ELF), runs busybox for its applet list, and
// returns the rootfs tar.
Result<std::string> build_minimal_rootfs(const MinimalRootfsInputs& inputs);

}  // namespace hermes::sandbox
