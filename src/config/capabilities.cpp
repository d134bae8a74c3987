#include "config/capabilities.hpp"

#include <algorithm>
#include <array>

#include "config/scalar_parsing.hpp"

namespace hermes::config {
namespace {

// linux/capability.h, in kernel order (0..40).
constexpr std::array<std::string_view, 41> kLinuxCapabilities{"CHOWN",
                                                              "DAC_OVERRIDE",
                                                              "DAC_READ_SEARCH",
                                                              "FOWNER",
                                                              "FSETID",
                                                              "KILL",
                                                              "SETGID",
                                                              "SETUID",
                                                              "SETPCAP",
                                                              "LINUX_IMMUTABLE",
                                                              "NET_BIND_SERVICE",
                                                              "NET_BROADCAST",
                                                              "NET_ADMIN",
                                                              "NET_RAW",
                                                              "IPC_LOCK",
                                                              "IPC_OWNER",
                                                              "SYS_MODULE",
                                                              "SYS_RAWIO",
                                                              "SYS_CHROOT",
                                                              "SYS_PTRACE",
                                                              "SYS_PACCT",
                                                              "SYS_ADMIN",
                                                              "SYS_BOOT",
                                                              "SYS_NICE",
                                                              "SYS_RESOURCE",
                                                              "SYS_TIME",
                                                              "SYS_TTY_CONFIG",
                                                              "MKNOD",
                                                              "LEASE",
                                                              "AUDIT_WRITE",
                                                              "AUDIT_CONTROL",
                                                              "SETFCAP",
                                                              "MAC_OVERRIDE",
                                                              "MAC_ADMIN",
                                                              "SYSLOG",
                                                              "WAKE_ALARM",
                                                              "BLOCK_SUSPEND",
                                                              "AUDIT_READ",
                                                              "PERFMON",
                                                              "BPF",
                                                              "CHECKPOINT_RESTORE"};

constexpr std::array<std::string_view, 13> kEscapeProne{
    "ALL",       "SYS_ADMIN", "SYS_MODULE", "SYS_RAWIO",    "SYS_PTRACE", "DAC_READ_SEARCH",
    "NET_ADMIN", "SYS_BOOT",  "SYS_TIME",   "MAC_OVERRIDE", "MAC_ADMIN",  "BPF",
    "PERFMON"};

bool contains(auto const& list, std::string_view name) {
  return std::find(list.begin(), list.end(), name) != list.end();
}

}  // namespace

std::optional<std::string> normalize_capability(std::string_view name) {
  std::string upper = to_upper_ascii(name);
  if (upper.starts_with("CAP_")) upper.erase(0, 4);
  if (upper == "ALL" || contains(kLinuxCapabilities, upper)) return upper;
  return std::nullopt;
}

bool is_escape_prone_capability(std::string_view normalized) {
  return contains(kEscapeProne, normalized);
}

}  // namespace hermes::config
