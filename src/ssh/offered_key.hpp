#pragma once
// What an analyst needs of a public key a client offered: its type, its fingerprint exactly as
// `ssh-keygen -l` prints it, and the key in authorized_keys form.
#include <libssh/libssh.h>

#include <optional>
#include <string>

namespace hermes::ssh {

struct OfferedKey {
  std::string type;            // e.g. "ssh-ed25519", "ecdsa-sha2-nistp256", "ssh-rsa"
  std::string fingerprint;     // "SHA256:" + unpadded base64 of the key blob's SHA-256
  std::string authorized_key;  // "<type> <base64 blob>"
};

std::optional<OfferedKey> describe_key(ssh_key key);

}  // namespace hermes::ssh
