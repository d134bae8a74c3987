#pragma once
// Linux capability names as Docker's CapAdd/CapDrop take them.
#include <optional>
#include <string>
#include <string_view>

namespace hermes::config {

// "cap_net_raw", "CAP_NET_RAW", "net_raw" -> "NET_RAW"; "all" -> "ALL". nullopt when the name is
// not a capability Linux defines (up to CHECKPOINT_RESTORE, Linux 5.9) nor "ALL".
std::optional<std::string> normalize_capability(std::string_view name);

// Capabilities that give a process in a container a known way to reach the host or other
// containers (module loading, mounts, raw devices, ptrace of host-visible processes, ...).
bool is_escape_prone_capability(std::string_view normalized);

}  // namespace hermes::config
