#pragma once
// Host keys of all three types live beside server.host_key_path: the configured path holds the
// RSA key (as in the original), ssh_host_ed25519_key and ssh_host_ecdsa_key sit next to it.
// Missing keys are generated on first start and reused afterwards; private keys are mode 0600.
#include <string>
#include <vector>

#include "common/result.hpp"
#include "ssh/libssh_handles.hpp"

namespace hermes::ssh {

struct HostKey {
  std::string path;
  std::string type;  // "ssh-ed25519", "ecdsa-sha2-nistp256", "rsa-sha2-512"...
  KeyPtr key;
};

Result<std::vector<HostKey>> load_or_generate_host_keys(const std::string& rsa_key_path);

// The key's public blob in base64, as a .pub file or known_hosts writes it after the type.
Result<std::string> public_key_base64(const HostKey& key);

}  // namespace hermes::ssh
