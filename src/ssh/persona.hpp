#pragma once
// The server Hermes pretends to be on the wire, kept in one place: Debian 12 "bookworm" running
// OpenSSH 9.2p1 (Debian's package) with a CIS-benchmark-style hardened sshd_config
// (images/debian/overlay/etc/ssh/sshd_config, the same file the target image carries).
//
// Why a hardened config and not the stock one: libssh 0.10 cannot offer umac-64/128 (both MAC
// lists of a stock 9.2p1) nor sntrup761x25519-sha512 (its first KEX), so the stock KEXINIT cannot
// be reproduced; the CIS lists leave exactly those out, and many real servers run them.
//
// Every list below is in the order that sshd sends it. libssh appends
// "kex-strict-s-v00@openssh.com" to the KEX list itself, as 9.2p1 Debian-2+deb12u2 and later do,
// and its default compression lists already read "none,zlib@openssh.com" as sshd's
// (Compression delayed). Setting the cipher lists explicitly also removes the trailing comma of
// libssh's default cipher list, a known libssh tell.
#include <libssh/server.h>

#include <string_view>

#include "common/result.hpp"

namespace hermes::ssh::persona {

// sshd_config: KexAlgorithms (CIS), in the order written there.
inline constexpr std::string_view kKeyExchange =
    "curve25519-sha256,curve25519-sha256@libssh.org,diffie-hellman-group14-sha256,"
    "diffie-hellman-group16-sha512,diffie-hellman-group18-sha512,ecdh-sha2-nistp521,"
    "ecdh-sha2-nistp384,ecdh-sha2-nistp256,diffie-hellman-group-exchange-sha256";

// sshd_config: Ciphers (CIS); the same list for both directions, as sshd sends it.
inline constexpr std::string_view kCiphers =
    "chacha20-poly1305@openssh.com,aes256-gcm@openssh.com,aes128-gcm@openssh.com,"
    "aes256-ctr,aes192-ctr,aes128-ctr";

// sshd_config: MACs (CIS).
inline constexpr std::string_view kMacs =
    "hmac-sha2-512-etm@openssh.com,hmac-sha2-256-etm@openssh.com,hmac-sha2-512,hmac-sha2-256";

// Not set in the sshd_config: sshd derives it from its host keys in HostKey order (Debian's three
// default keys: RSA, ECDSA, Ed25519), offering RSA keys as rsa-sha2-512 and rsa-sha2-256 only
// (ssh-rsa is outside 9.2p1's default HostKeyAlgorithms). Hermes has the same three keys
// (host_keys.cpp); libssh orders the offer by this list.
inline constexpr std::string_view kHostKeyAlgorithms =
    "rsa-sha2-512,rsa-sha2-256,ecdsa-sha2-nistp256,ssh-ed25519";

// sshd's EXT_INFO server-sig-algs (9.2p1 sends every signature algorithm it knows, in this
// order). libssh 0.10 builds its extension from the public key types it accepts, so it gets
// this list; it drops the two it does not know (webauthn-sk-ecdsa-sha2-nistp256@openssh.com,
// ssh-dss), a residual difference only `ssh -vvv` shows. Accepting these types for public key
// authentication also means more offered keys reach the log instead of being refused unread.
inline constexpr std::string_view kServerSigAlgs =
    "ssh-ed25519,sk-ssh-ed25519@openssh.com,ecdsa-sha2-nistp256,ecdsa-sha2-nistp384,"
    "ecdsa-sha2-nistp521,sk-ecdsa-sha2-nistp256@openssh.com,webauthn-sk-ecdsa-sha2-nistp256@openssh.com,"
    "ssh-dss,ssh-rsa,rsa-sha2-256,rsa-sha2-512";

// Applies the lists above to a bind before any connection is accepted.
Result<void> apply_algorithms(ssh_bind bind);

}  // namespace hermes::ssh::persona
