#include "modes.hpp"

namespace hermes::loadgen {

std::vector<std::string> ssh_option_keys(std::vector<std::string> mode_keys) {
  for (const char* key : {"host", "port", "user", "password", "timeout-ms"}) mode_keys.emplace_back(key);
  return mode_keys;
}

SshTarget ssh_target_from(const CliOptions& options) {
  SshTarget target;
  target.host = options.text("host", target.host);
  target.port = static_cast<int>(options.required_number("port", 1, 65535));
  target.user = options.text("user", target.user);
  target.password = options.text("password", "");
  target.timeout_ms = static_cast<int>(options.number("timeout-ms", target.timeout_ms, 1, 3'600'000));
  return target;
}

}  // namespace hermes::loadgen
