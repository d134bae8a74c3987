#include "app/planted_host_keys.hpp"

#include "common/log.hpp"

namespace hermes::app {

std::vector<sandbox::PublicHostKey> planted_host_keys(const std::vector<ssh::HostKey>& keys) {
  std::vector<sandbox::PublicHostKey> planted;
  for (const auto& key : keys) {
    auto base64 = ssh::public_key_base64(key);
    if (!base64) {
      log::warn("hermes", base64.error().message + "; containers keep the image's " + key.type + " .pub file");
      continue;
    }
    planted.push_back(sandbox::PublicHostKey{key.type, std::move(*base64)});
  }
  return planted;
}

}  // namespace hermes::app
