#pragma once
// What hermes-init fixes at container start, before the pool hands the container out, so the
// files Docker adds do not give the container away (docs/deception.md).
#include <string>

namespace hermes::init {

// Debian's installer-written /etc/hosts for `hostname` (127.0.1.1 names the host); Docker's
// own, with network "none", names only localhost.
std::string debian_hosts(const std::string& hostname);

// Removes /.dockerenv and rewrites /etc/hosts (a bind mount of a file Docker keeps per
// container: written in place, never replaced) for the configured hostname. Best effort.
void hide_container_marks(const std::string& system_root = "");

}  // namespace hermes::init
