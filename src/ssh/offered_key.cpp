#include "ssh/offered_key.hpp"

#include <memory>

#include "ssh/libssh_handles.hpp"

namespace hermes::ssh {

namespace {
struct HashDeleter { void operator()(unsigned char* p) const { ssh_clean_pubkey_hash(&p); } };
}  // namespace

std::optional<OfferedKey> describe_key(ssh_key key) {
  if (key == nullptr) return std::nullopt;
  const char* type = ssh_key_type_to_char(ssh_key_type(key));
  unsigned char* raw_hash = nullptr;
  size_t hash_size = 0;
  if (type == nullptr || ssh_get_publickey_hash(key, SSH_PUBLICKEY_HASH_SHA256, &raw_hash, &hash_size) != SSH_OK) {
    return std::nullopt;
  }
  std::unique_ptr<unsigned char, HashDeleter> hash(raw_hash);
  CStringPtr fingerprint(ssh_get_fingerprint_hash(SSH_PUBLICKEY_HASH_SHA256, hash.get(), hash_size));
  char* raw_base64 = nullptr;
  if (!fingerprint || ssh_pki_export_pubkey_base64(key, &raw_base64) != SSH_OK) return std::nullopt;
  CStringPtr base64(raw_base64);
  return OfferedKey{type, fingerprint.get(), std::string(type) + ' ' + base64.get()};
}

}  // namespace hermes::ssh
