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
  // Admission, checked right after accept() and before any SSH work. 0 disables a limit.
  int max_connections = 1024;        // open connections overall (authenticated or not)
  int max_connections_per_ip = 32;   // open connections from one source address
  int connection_rate_per_ip = 120;  // new connections per minute from one address (token bucket
                                     // holding one minute's worth)
  int idle_timeout = 900;            // seconds without input or output before a session ends
};

// new: credentials and keys that nobody legitimate knows; their use is an alert of its own.
struct HoneytokenConfig {
  std::vector<Credential> credentials;        // username + password pairs
  std::vector<std::string> key_fingerprints;  // "SHA256:<base64 without padding>", as ssh-keygen -l
};

struct AuthenticationConfig {
  std::vector<Credential> static_credentials;  // a username may appear several times
  int accept_all_after_failures = 3;           // 0 disables
  // new
  std::string publickey = "reject";  // "reject" or "accept": what an offered, signed key gets
  HoneytokenConfig honeytokens;
  // How long a wrong password waits for its failure reply: nullopt ("persona") imitates the
  // persona's sshd+PAM (about 1.5 to 4.7 s, ssh/failure_delay.hpp); a number is that many seconds
  // every time (0: answer at once; test suites).
  std::optional<double> failure_delay;
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
  // new
  // The writable layer's size is watched (StorageOpt quotas need xfs+pquota; ext4 has none).
  std::string disk_limit = "1g";
  int64_t disk_limit_bytes = 1LL * 1024 * 1024 * 1024;  // parsed from disk_limit
  int disk_check_interval = 5;                         // seconds between two size checks
  std::string runtime;  // OCI runtime: empty = the engine's default (runc); "runsc" for gVisor
};

// new: one weighted choice of target image (container_pool.profiles).
struct ImageProfile {
  std::string image;
  int weight = 1;  // relative: a profile of weight 2 is chosen twice as often as one of weight 1
  bool operator==(const ImageProfile&) const = default;
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
  // Weighted images; empty means the single `image` above with weight 1.
  std::vector<ImageProfile> profiles;
  // Seconds during which an attacker returning from the same address gets their previous
  // container back (restarted, files included). 0 disables.
  int sticky_window = 0;
};

struct RecordingConfig {
  bool enabled = true;
  std::string output_dir = "/data/recordings";
  std::string format = "asciinema";
  std::vector<std::string> capture_metadata{"connection_info", "authentication_attempts",
                                            "session_duration", "container_id",
                                            "commands_executed"};
  // new
  std::string max_bytes = "50m";  // terminal output kept per recording; the rest is counted only
  int64_t max_bytes_bytes = 50LL * 1024 * 1024;
};

struct LoggingConfig {
  std::string level = "INFO";
  std::string format = "json";  // "json" or "text": the operator log's format
  std::string output_dir = "/data/logs";
  std::vector<std::string> include_fields{"timestamp", "session_id", "username", "source_ip",
                                          "event_type"};
  // new: also write <output_dir>/cowrie.json with Cowrie's event ids and field names.
  bool cowrie_compat = false;
};

struct DockerConfig {
  std::string socket_path = "/var/run/docker.sock";
  std::optional<std::string> base_url;  // tcp://host:port; when set it wins over socket_path
};

// new: what is kept, and for how long (container_pool.cleanup_stopped_after_days is the age limit).
struct RetentionConfig {
  int max_kept_containers = 200;  // stopped session containers kept; oldest removed first; 0: no cap
  std::string max_data_size = "10g";  // recordings + artifacts; oldest sessions' files removed first
  int64_t max_data_bytes = 10LL * 1024 * 1024 * 1024;  // 0: no cap
  std::string min_free_space = "1g";  // below this free space in the data directories new
  int64_t min_free_bytes = 1LL * 1024 * 1024 * 1024;   // sessions are refused; 0: never
  bool export_before_removal = false;  // save a container's filesystem (tar.gz) before removing it
  std::string export_dir = "/data/exports";
};

// new: what the attacker brought and left, copied out of the container (content-addressed).
struct ArtifactsConfig {
  bool enabled = true;
  std::string output_dir = "/data/artifacts";  // files land in <output_dir>/<sha256>
  int max_files = 200;                         // files captured per session; the rest are listed
  std::string max_file_size = "20m";           // larger files are listed with size, not copied
  int64_t max_file_bytes = 20LL * 1024 * 1024;
  std::string max_session_size = "100m";  // bytes copied per session at most
  int64_t max_session_bytes = 100LL * 1024 * 1024;
};

struct Config {
  ServerConfig server;
  AuthenticationConfig authentication;
  ContainerPoolConfig container_pool;
  RecordingConfig recording;
  RetentionConfig retention;
  ArtifactsConfig artifacts;
  LoggingConfig logging;
  DockerConfig docker;
};

}  // namespace hermes::config
