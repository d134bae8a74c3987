#pragma once
// The bridge between the SSH side's host keys and the sandbox's plain data: the public half of
// each key the sensor serves, for the pool to write into containers' /etc/ssh. The sandbox
// never sees a libssh handle, and never a private key.
#include <vector>

#include "sandbox/host_key_files.hpp"
#include "ssh/host_keys.hpp"

namespace hermes::app {

// A key whose public half cannot be exported is left out (logged): a container without that
// .pub file is still a working trap.
std::vector<sandbox::PublicHostKey> planted_host_keys(const std::vector<ssh::HostKey>& keys);

}  // namespace hermes::app
