#include "app/privileges.hpp"

namespace hermes::app {

namespace {
// Ports below this need CAP_NET_BIND_SERVICE (net.ipv4.ip_unprivileged_port_start, default 1024).
constexpr int kFirstUnprivilegedPort = 1024;
}  // namespace

std::optional<std::string> root_warning(uid_t euid) {
  if (euid != 0) return std::nullopt;
  return "running as root (uid 0), which Hermes does not need: whoever took over this process "
         "would own the host. Run it as a dedicated user in group docker (or behind a docker "
         "socket proxy) with CAP_NET_BIND_SERVICE for port 22: see deploy/hermes.service and "
         "docs/operations.md";
}

std::string privileged_port_hint(int port, uid_t euid) {
  if (euid == 0 || port <= 0 || port >= kFirstUnprivilegedPort) return {};
  return " (port " + std::to_string(port) +
         " is below 1024: give Hermes CAP_NET_BIND_SERVICE, e.g. AmbientCapabilities= in "
         "deploy/hermes.service)";
}

}  // namespace hermes::app
