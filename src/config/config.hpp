#pragma once
// The whole configuration as typed values. Keys of the original (Python) Hermes are kept with
// their meaning and defaults (shared/reference/seed-config.md); keys Hermes adds are marked "new".
// Loading, defaults and validation live in config_loader.*; docs/configuration.md documents each.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace hermes::config {

struct Credential {
  std::string username;
  std::string password;
  bool operator==(const Credential&) const = default;
};

struct ServerConfig {
  std::string host = "0.0.0.0";
  uint16_t port = 2222;
  std::string host_key_path = "/data/keys/ssh_host_rsa_key";  // keys of all types live beside it
  int max_concurrent_sessions = 10;
  int session_timeout = 3600;  // seconds, minimum 60
  // new
  // The loader always stores it with its "SSH-2.0-" prefix, whether or not the file had one.
  std::string version_string = "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u10";
  std::string sensor_name;     // default: the machine's host name
  int worker_threads = 2;      // io_context threads
  int login_grace_time = 120;  // seconds an unauthenticated connection may live (OpenSSH: 120)
  int max_auth_tries = 6;      // failed passwords per connection before disconnect (OpenSSH: 6)
};

struct AuthenticationConfig {
  std::vector<Credential> static_credentials;  // a username may appear several times
  int accept_all_after_failures = 3;           // 0 disables
};

struct CapabilitiesConfig {
  std::vector<std::string> drop{"ALL"};
  std::vector<std::string> add{"CHOWN", "SETUID", "SETGID"};
};

struct SecurityConfig {
  std::string network_mode = "none";
  std::string memory_limit = "256m";
  int64_t memory_limit_bytes = 256LL * 1024 * 1024;  // parsed from memory_limit
  double cpu_quota = 0.5;                            // cores
  int pids_limit = 100;
  std::string tmpfs_size = "50m";
  int64_t tmpfs_size_bytes = 50LL * 1024 * 1024;  // parsed from tmpfs_size
  CapabilitiesConfig capabilities;
  std::vector<std::string> security_opt{"no-new-privileges:true"};
};

struct ContainerPoolConfig {
  int size = 3;
  int spawn_timeout = 30;  // seconds
  std::string image = "hermes-target-ubuntu:latest";
  int max_session_duration = 3600;   // seconds
  int cleanup_stopped_after_days = 7;  // 0 keeps forever
  SecurityConfig security;
  // new
  std::string hostname = "prod-web-01";  // what `hostname` says inside a session
};

struct RecordingConfig {
  bool enabled = true;
  std::string output_dir = "/data/recordings";
  std::string format = "asciinema";
  std::vector<std::string> capture_metadata{"connection_info", "authentication_attempts",
                                            "session_duration", "container_id",
                                            "commands_executed"};
};

struct LoggingConfig {
  std::string level = "INFO";
  std::string format = "json";  // "json" or "text": the operator log's format
  std::string output_dir = "/data/logs";
  std::vector<std::string> include_fields{"timestamp", "session_id", "username", "source_ip",
                                          "event_type"};
};

struct DockerConfig {
  std::string socket_path = "/var/run/docker.sock";
  std::optional<std::string> base_url;  // tcp://host:port; when set it wins over socket_path
};

struct Config {
  ServerConfig server;
  AuthenticationConfig authentication;
  ContainerPoolConfig container_pool;
  RecordingConfig recording;
  LoggingConfig logging;
  DockerConfig docker;
};

}  // namespace hermes::config
