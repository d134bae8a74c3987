#pragma once
// The sensor's public host keys as /etc/ssh/ssh_host_<type>_key.pub files: what Hermes writes
// into each target container before it starts, so that `ssh-keygen -lf` inside shows the
// fingerprint the attacker's client accepted (docs/deception.md). Only public keys: the
// sensor's private keys never enter a container (docs/security.md).
#include <ctime>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"

namespace hermes::sandbox {

// One public host key as plain data (the sandbox does not know libssh).
struct PublicHostKey {
  std::string algorithm;  // "ssh-rsa", "ecdsa-sha2-nistp256", "ssh-ed25519"
  std::string base64;     // the key blob, as in a .pub file or known_hosts
};

// The directory the archive is unpacked into.
inline constexpr std::string_view kHostKeyDirectory = "/etc/ssh";

// "ssh_host_ed25519_key.pub" for "ssh-ed25519" (rsa, ecdsa-sha2-nistp256/384/521 likewise);
// an Error for an algorithm that has no host key file on a Debian server.
Result<std::string> host_key_pub_file_name(std::string_view algorithm);

// "ssh-ed25519 AAAA... root@prod-web-01\n": the line Debian's openssh-server postinst leaves
// (`ssh-keygen` without -C comments a key root@<hostname>). Rejects a blob that is not base64
// or longer than kMaxPublicKeyBase64, and a hostname with spaces or control characters.
inline constexpr std::size_t kMaxPublicKeyBase64 = 4096;
Result<std::string> host_key_pub_line(const PublicHostKey& key, std::string_view hostname);

// A tar (for PUT /containers/{id}/archive?path=/etc/ssh) holding one .pub file per key, mode
// 0644, owned by root, modified at `mtime`. Fails on an unknown algorithm or a bad key, and on
// two keys that would make the same file.
Result<std::string> host_key_archive(const std::vector<PublicHostKey>& keys, std::string_view hostname,
                                     std::time_t mtime);

}  // namespace hermes::sandbox
