#pragma once
// Hermes needs no root (docs/operations.md "Running as a dedicated user"): the Docker API via the
// socket's group or a socket proxy, its own data directories, and a port (>= 1024, or
// CAP_NET_BIND_SERVICE). These say so to an operator who starts it otherwise.
#include <optional>
#include <string>
#include <sys/types.h>

namespace hermes::app {

// The start-up warning for a Hermes whose effective uid is `euid`; none unless it is root.
std::optional<std::string> root_warning(uid_t euid);

// A hint appended to a listen failure: binding a port below 1024 without root needs
// CAP_NET_BIND_SERVICE. Empty when that cannot be the reason.
std::string privileged_port_hint(int port, uid_t euid);

}  // namespace hermes::app
