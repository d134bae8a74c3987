// load_config_string must survive any bytes (yaml-cpp's exceptions, aliases, deep nesting, huge
// numbers), and what it reports must keep its promises: one message per line, errors exactly
// when loading fails, and an accepted configuration within every documented bound.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "config/capabilities.hpp"
#include "config/config_loader.hpp"

namespace {

void require(bool condition) {
  if (!condition) std::abort();
}

void check_single_lines(const std::vector<std::string>& messages) {
  for (const std::string& message : messages) require(message.find('\n') == std::string::npos);
}

void check_bounds(const hermes::config::Config& c) {
  require(c.server.port >= 1);
  require(c.server.session_timeout >= 60);
  require(c.server.max_concurrent_sessions >= 1);
  require(c.server.worker_threads >= 1 && c.server.worker_threads <= 64);
  require(c.server.version_string.starts_with("SSH-2.0-"));
  require(!c.server.sensor_name.empty());
  require(c.container_pool.size >= 0 && c.container_pool.size <= 256);
  require(c.container_pool.spawn_timeout >= 1 && c.container_pool.spawn_timeout <= 600);
  const auto& s = c.container_pool.security;
  require(s.memory_limit_bytes >= 6LL * 1024 * 1024);
  require(s.tmpfs_size_bytes >= 1024 * 1024);
  require(s.cpu_quota >= 0.01 && s.cpu_quota <= 64);
  require(s.pids_limit >= 1);
  for (const auto* list : {&s.capabilities.add, &s.capabilities.drop}) {
    for (const std::string& name : *list) {
      require(hermes::config::normalize_capability(name) == name);
    }
  }
  for (const auto& credential : c.authentication.static_credentials) {
    require(!credential.username.empty());
  }
  require(c.logging.format == "json" || c.logging.format == "text");
  require(c.recording.format == "asciinema");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  const auto report = hermes::config::inspect_config_string(text, "fuzz.yaml");
  check_single_lines(report.warnings);
  check_single_lines(report.errors);
  const auto loaded = hermes::config::load_config_string(text, "fuzz.yaml");
  require(loaded.has_value() == report.ok());
  if (loaded) check_bounds(loaded->config);
  return 0;
}
