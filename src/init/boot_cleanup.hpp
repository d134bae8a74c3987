#pragma once
// What hermes-init fixes at container start, before the pool hands the container out, so the
// files Docker adds do not give the container away (docs/deception.md).
#include <string>

namespace hermes::init {

// Debian's installer-written /etc/hosts for `hostname` (127.0.1.1 names the host); Docker's
// own, with network "none", names only localhost.
std::string debian_hosts(const std::string& hostname);

// Removes the copy of /tmp and /dev/shm an earlier session of this container left for the
// artifact capture (tmpfs_preserve.hpp): it was captured when that session ended, and a booted
// server's /tmp starts empty. Only a restarted (sticky) container has one.
void remove_preserved_tmpfs(const std::string& system_root = "");

// Removes /.dockerenv and the preserved tmpfs copy, and rewrites /etc/hosts (a bind mount of a file Docker keeps per
// container: written in place, never replaced) for the configured hostname. Best effort.
void hide_container_marks(const std::string& system_root = "");

}  // namespace hermes::init
