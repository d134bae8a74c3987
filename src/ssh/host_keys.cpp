#include "ssh/host_keys.hpp"

#include <sys/stat.h>

#include <filesystem>
#include <system_error>

#include "common/log.hpp"

namespace hermes::ssh {
namespace {

struct KeySpec {
  const char* file_name;  // empty: the configured path itself
  ssh_keytypes_e type;
  int bits;
};

Result<KeyPtr> load_or_generate(const std::string& path, const KeySpec& spec) {
  std::error_code ec;
  if (std::filesystem::exists(path, ec)) {
    ssh_key raw = nullptr;
    if (ssh_pki_import_privkey_file(path.c_str(), nullptr, nullptr, nullptr, &raw) != SSH_OK) {
      return fail("cannot read host key " + path + " (not an unencrypted OpenSSH/PEM private key?)");
    }
    KeyPtr key(raw);
    if (ssh_key_type(key.get()) != spec.type) {
      return fail("host key " + path + " is of type " + ssh_key_type_to_char(ssh_key_type(key.get())) +
                  ", expected " + ssh_key_type_to_char(spec.type));
    }
    ::chmod(path.c_str(), 0600);  // tighten keys that an operator copied in too loosely
    return key;
  }
  ssh_key raw = nullptr;
  if (ssh_pki_generate(spec.type, spec.bits, &raw) != SSH_OK) {
    return fail(std::string("cannot generate ") + ssh_key_type_to_char(spec.type) + " host key");
  }
  KeyPtr key(raw);
  // Create the file 0600 before libssh writes to it, so the key is never readable by others.
  const mode_t old_mask = ::umask(077);
  const int rc = ssh_pki_export_privkey_file(key.get(), nullptr, nullptr, nullptr, path.c_str());
  ::umask(old_mask);
  if (rc != SSH_OK) return fail("cannot write host key " + path);
  ::chmod(path.c_str(), 0600);
  ssh_key pub_raw = nullptr;
  if (ssh_pki_export_privkey_to_pubkey(key.get(), &pub_raw) == SSH_OK) {
    KeyPtr pub(pub_raw);
    ssh_pki_export_pubkey_file(pub.get(), (path + ".pub").c_str());
  }
  log::info("ssh", "generated host key " + path);
  return key;
}

}  // namespace

Result<std::vector<HostKey>> load_or_generate_host_keys(const std::string& rsa_key_path) {
  namespace fs = std::filesystem;
  const fs::path rsa_path(rsa_key_path);
  const fs::path dir = rsa_path.has_parent_path() ? rsa_path.parent_path() : fs::path(".");
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return fail("cannot create host key directory " + dir.string() + ": " + ec.message());

  static const KeySpec specs[] = {
      {"", SSH_KEYTYPE_RSA, 3072},
      {"ssh_host_ecdsa_key", SSH_KEYTYPE_ECDSA_P256, 256},
      {"ssh_host_ed25519_key", SSH_KEYTYPE_ED25519, 0},
  };
  std::vector<HostKey> keys;
  for (const auto& spec : specs) {
    const std::string path = *spec.file_name ? (dir / spec.file_name).string() : rsa_key_path;
    auto key = load_or_generate(path, spec);
    if (!key) return std::unexpected(key.error());
    keys.push_back(HostKey{path, ssh_key_type_to_char(spec.type), std::move(*key)});
  }
  return keys;
}

Result<std::string> public_key_base64(const HostKey& key) {
  char* raw = nullptr;
  if (ssh_pki_export_pubkey_base64(key.key.get(), &raw) != SSH_OK || raw == nullptr) {
    return fail("cannot export the public half of host key " + key.path);
  }
  const CStringPtr text(raw);
  return std::string(text.get());
}

}  // namespace hermes::ssh
