#include "config/config_schema.hpp"

#include <algorithm>
#include <array>
#include <charconv>

#include "config/capabilities.hpp"
#include "config/scalar_parsing.hpp"
#include "config/value_rules.hpp"

namespace hermes::config {
namespace {

using Node = YAML::Node;
using Key = std::string;

// Docker refuses a memory limit below 6 MiB ("Minimum memory limit allowed is 6MB", Engine 20.10).
constexpr int64_t kMinMemoryBytes = 6LL * 1024 * 1024;
// A tmpfs of size 0 has no limit at all, the opposite of what a small number means.
constexpr int64_t kMinTmpfsBytes = 1LL * 1024 * 1024;
// Below 1 MiB a disk limit trips on the first package an attacker unpacks: not a useful setting.
constexpr int64_t kMinDiskBytes = 1LL * 1024 * 1024;
// A recording must hold at least a login and a few screens.
constexpr int64_t kMinRecordingBytes = 4096;
constexpr long long kMaxSeconds = 365LL * 24 * 3600;
constexpr std::size_t kMaxCredentialBytes = 1024;

// One word per level, as the original (Python logging) spelled them.
constexpr std::array<std::string_view, 5> kLogLevels{"DEBUG", "INFO", "WARNING", "ERROR",
                                                     "CRITICAL"};

constexpr TextRule kPath{"a path without control characters (at most 4096 bytes)", is_path_text};
constexpr TextRule kListenHost{"an IP address or host name to listen on", is_listen_host};
constexpr TextRule kVersionString{
    "an SSH version such as \"SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u10\" (printable ASCII, at "
    "most 200 characters, no '-' in the software version before the first space)",
    [](std::string_view t) { return normalize_version_string(t).has_value(); }};
constexpr TextRule kSensorName{"a name without control characters (1 to 255 bytes)",
                               [](std::string_view t) { return is_printable_text(t, 255); }};
constexpr TextRule kUsername{"a non-empty user name (at most 1024 bytes)", [](std::string_view t) {
                               return !t.empty() && t.size() <= kMaxCredentialBytes;
                             }};
constexpr TextRule kPassword{"a password (text or number, at most 1024 bytes)",
                             [](std::string_view t) { return t.size() <= kMaxCredentialBytes; }};
constexpr TextRule kImage{"a Docker image reference such as \"hermes-target-minimal:latest\"",
                          is_image_reference};
constexpr TextRule kHostname{"a host name of 1 to 63 letters, digits or '-' (not first or last)",
                             is_hostname_label};
constexpr TextRule kNetworkMode{
    "\"none\", \"bridge\", \"host\", \"container:<id>\" or a Docker network name", is_network_mode};
constexpr TextRule kCapability{
    "a Linux capability name such as \"CHOWN\" or \"CAP_NET_RAW\", or \"ALL\"",
    [](std::string_view t) { return normalize_capability(t).has_value(); }};
constexpr TextRule kSecurityOpt{
    "a Docker security option such as \"no-new-privileges:true\" (at most 4096 bytes)",
    [](std::string_view t) { return is_printable_text(t, 4096); }};
constexpr TextRule kRecordingFormat{
    "\"asciinema\" (asciicast v2, the only format Hermes writes)",
    [](std::string_view t) { return to_lower_ascii(t) == "asciinema"; }};
constexpr TextRule kLogLevel{
    "one of DEBUG, INFO, WARNING, ERROR, CRITICAL", [](std::string_view t) {
      return std::ranges::find(kLogLevels, to_upper_ascii(t)) != kLogLevels.end();
    }};
constexpr TextRule kLogFormat{"\"json\" or \"text\"", [](std::string_view t) {
                                const std::string lower = to_lower_ascii(t);
                                return lower == "json" || lower == "text";
                              }};
constexpr TextRule kDockerUrl{
    "null, \"tcp://host:port\" or \"unix:///path\"",
    [](std::string_view t) { return t.empty() || is_docker_base_url(t); }};
constexpr TextRule kListItem{"text", nullptr};
constexpr TextRule kPublickeyPolicy{"\"reject\" or \"accept\"", [](std::string_view t) {
                                      const std::string lower = to_lower_ascii(t);
                                      return lower == "reject" || lower == "accept";
                                    }};
constexpr double kMaxFailureDelaySeconds = 30;
// "persona" or a number of seconds from 0 to 30.
std::optional<double> failure_delay_seconds(std::string_view t) {
  double seconds = -1;
  const auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), seconds);
  if (ec != std::errc() || end != t.data() + t.size() || !(seconds >= 0 && seconds <= kMaxFailureDelaySeconds)) {
    return std::nullopt;
  }
  return seconds;
}
constexpr TextRule kFailureDelay{"\"persona\" or a number of seconds from 0 to 30", [](std::string_view t) {
                                   return to_lower_ascii(t) == "persona" || failure_delay_seconds(t).has_value();
                                 }};
constexpr TextRule kKeyFingerprint{
    "a key fingerprint as ssh-keygen -l prints it: \"SHA256:\" and 43 base64 characters",
    is_sha256_key_fingerprint};
constexpr TextRule kRuntime{
    "an OCI runtime name Docker knows, such as \"runc\" or \"runsc\" (letters, digits, '-', "
    "'_', '.'; at most 64), or \"\" for the engine's default",
    is_runtime_name};

void read_server(YamlReader& r, const Node& node, const Key& key, ServerConfig& s) {
  r.mapping(
      node, key,
      {{"host", [&](const Node& v, const Key& k) { assign(r.text(v, k, kListenHost), s.host); }},
       {"port", [&](const Node& v, const Key& k) { assign(r.integer(v, k, 1, 65535), s.port); }},
       {"host_key_path",
        [&](const Node& v, const Key& k) { assign(r.text(v, k, kPath), s.host_key_path); }},
       {"max_concurrent_sessions",
        [&](const Node& v, const Key& k) {
          assign(r.integer(v, k, 1, 100000), s.max_concurrent_sessions);
        }},
       {"session_timeout",
        [&](const Node& v, const Key& k) {
          assign(r.integer(v, k, 60, kMaxSeconds), s.session_timeout);
        }},
       {"version_string",
        [&](const Node& v, const Key& k) {
          if (auto text = r.text(v, k, kVersionString)) {
            s.version_string = *normalize_version_string(*text);
          }
        }},
       {"sensor_name",
        [&](const Node& v, const Key& k) {
          // null means "the machine's host name", filled in after reading.
          if (!v.IsNull()) assign(r.text(v, k, kSensorName), s.sensor_name);
        }},
       {"worker_threads",
        [&](const Node& v, const Key& k) { assign(r.integer(v, k, 1, 64), s.worker_threads); }},
       {"login_grace_time",
        [&](const Node& v, const Key& k) { assign(r.integer(v, k, 1, 3600), s.login_grace_time); }},
       {"max_auth_tries",
        [&](const Node& v, const Key& k) { assign(r.integer(v, k, 1, 1000), s.max_auth_tries); }},
       {"max_connections",
        [&](const Node& v, const Key& k) { assign(r.integer(v, k, 0, 1000000), s.max_connections); }},
       {"max_connections_per_ip",
        [&](const Node& v, const Key& k) {
          assign(r.integer(v, k, 0, 1000000), s.max_connections_per_ip);
        }},
       {"connection_rate_per_ip",
        [&](const Node& v, const Key& k) {
          assign(r.integer(v, k, 0, 1000000), s.connection_rate_per_ip);
        }},
       {"idle_timeout",
        [&](const Node& v, const Key& k) { assign(r.integer(v, k, 0, kMaxSeconds), s.idle_timeout); }}});
}

// One {username, password} entry; nullopt after reporting what is wrong or missing.
std::optional<Credential> read_credential(YamlReader& r, const Node& entry, const Key& key) {
  if (!entry.IsMap()) {
    r.expected(entry, key, "a mapping with \"username\" and \"password\"");
    return std::nullopt;
  }
  std::optional<std::string> username;
  std::optional<std::string> password;
  bool username_seen = false;
  bool password_seen = false;
  r.mapping(entry, key,
            {{"username",
              [&](const Node& v, const Key& k) {
                username_seen = true;
                username = r.text(v, k, kUsername);
              }},
             {"password", [&](const Node& v, const Key& k) {
                password_seen = true;
                password = r.text(v, k, kPassword);
              }}});
  constexpr std::string_view kMissing = "missing (each entry needs a username and a password)";
  if (!username_seen) r.diagnostics().error(entry.Mark(), key + ".username", kMissing);
  if (!password_seen) r.diagnostics().error(entry.Mark(), key + ".password", kMissing);
  if (!username || !password) return std::nullopt;
  return Credential{std::move(*username), std::move(*password)};
}

// A list of mappings read by `read_one` (nullopt after reporting what is wrong). The list is taken
// only when every entry is valid, each bad one reported; entries keep their order.
template <class Entry, class ReadOne>
void read_entry_list(YamlReader& r, const Node& v, const Key& k, std::string_view expected,
                     ReadOne read_one, std::vector<Entry>& out) {
  std::vector<Entry> entries;
  bool all_valid = true;
  const bool is_list = r.elements(v, k, expected, [&](const Node& entry, const Key& entry_key) {
    if (std::optional<Entry> read = read_one(r, entry, entry_key)) {
      entries.push_back(std::move(*read));
    } else {
      all_valid = false;
    }
  });
  if (is_list && all_valid) out = std::move(entries);
}

// Every credential is kept, in order: a user may have several accepted passwords.
void read_credentials(YamlReader& r, const Node& v, const Key& k, std::vector<Credential>& out) {
  read_entry_list(r, v, k, "a list of {username, password} mappings", read_credential, out);
}

void read_honeytokens(YamlReader& r, const Node& node, const Key& key, HoneytokenConfig& h) {
  r.mapping(node, key,
            {{"credentials",
              [&](const Node& v, const Key& k) { read_credentials(r, v, k, h.credentials); }},
             {"key_fingerprints", [&](const Node& v, const Key& k) {
                assign(r.text_list(v, k, kKeyFingerprint), h.key_fingerprints);
              }}});
}

void read_authentication(YamlReader& r, const Node& node, const Key& key, AuthenticationConfig& a) {
  r.mapping(node, key,
            {{"static_credentials",
              [&](const Node& v, const Key& k) { read_credentials(r, v, k, a.static_credentials); }},
             {"accept_all_after_failures",
              [&](const Node& v, const Key& k) {
                assign(r.integer(v, k, 0, 1000000), a.accept_all_after_failures);
              }},
             {"publickey",
              [&](const Node& v, const Key& k) {
                if (auto policy = r.text(v, k, kPublickeyPolicy)) a.publickey = to_lower_ascii(*policy);
              }},
             {"honeytokens",
              [&](const Node& v, const Key& k) { read_honeytokens(r, v, k, a.honeytokens); }},
             {"failure_delay", [&](const Node& v, const Key& k) {
                if (auto text = r.text(v, k, kFailureDelay)) a.failure_delay = failure_delay_seconds(*text);
              }}});
}

void warn_about_network_mode(YamlReader& r, const Node& v, const Key& k, const std::string& mode) {
  if (mode == "none") return;
  std::string text = "sandboxes get network access with " + quote_for_message(mode) +
                     ": attackers can reach your network, attack other hosts and download "
                     "tools from them";
  if (mode == "host") text += "; \"host\" even shares this machine's network stack with them";
  r.warn(v, k, text + ". Use \"none\" unless you isolate the network yourself");
}

std::optional<std::vector<std::string>> read_capabilities(YamlReader& r, const Node& v,
                                                          const Key& k) {
  auto names = r.text_list(v, k, kCapability);
  if (names) {
    for (std::string& name : *names) name = *normalize_capability(name);
  }
  return names;
}

void read_capability_lists(YamlReader& r, const Node& node, const Key& key, CapabilitiesConfig& c) {
  r.mapping(node, key,
            {{"drop",
              [&](const Node& v, const Key& k) {
                auto names = read_capabilities(r, v, k);
                if (!names) return;
                if (std::ranges::find(*names, "ALL") == names->end()) {
                  r.warn(v, k,
                         "does not contain ALL: sandboxes keep Docker's default capabilities "
                         "except those listed");
                }
                c.drop = std::move(*names);
              }},
             {"add", [&](const Node& v, const Key& k) {
                auto names = read_capabilities(r, v, k);
                if (!names) return;
                for (const std::string& name : *names) {
                  if (is_escape_prone_capability(name)) {
                    r.warn(v, k,
                           "adding " + name +
                               " gives attackers in a sandbox a known way towards the host");
                  }
                }
                c.add = std::move(*names);
              }}});
}

// Options that switch off a layer of Docker's confinement, or that Docker cannot apply.
void warn_about_security_opts(YamlReader& r, const Node& v, const Key& k,
                              const std::vector<std::string>& options) {
  bool no_new_privileges = false;
  for (const std::string& option : options) {
    std::string normalized = to_lower_ascii(option);
    std::ranges::replace(normalized, ':', '=');
    if (normalized == "no-new-privileges" || normalized == "no-new-privileges=true") {
      no_new_privileges = true;
    }
    if (normalized == "seccomp=unconfined" || normalized == "apparmor=unconfined" ||
        normalized == "label=disable" || normalized == "systempaths=unconfined") {
      r.warn(v, k, quote_for_message(option) + " removes a layer of sandbox confinement");
    }
    if (normalized == "seccomp=default") {
      r.warn(v, k,
             quote_for_message(option) +
                 " names no profile Docker knows; leave seccomp out to get Docker's default");
    }
  }
  if (!no_new_privileges) {
    r.warn(v, k,
           "has no \"no-new-privileges:true\": set-uid programs in a sandbox can gain privileges");
  }
}

void read_security(YamlReader& r, const Node& node, const Key& key, SecurityConfig& s) {
  r.mapping(
      node, key,
      {{"network_mode",
        [&](const Node& v, const Key& k) {
          if (auto mode = r.text(v, k, kNetworkMode)) {
            warn_about_network_mode(r, v, k, *mode);
            s.network_mode = std::move(*mode);
          }
        }},
       {"memory_limit",
        [&](const Node& v, const Key& k) {
          if (auto bytes = r.size(v, k, kMinMemoryBytes)) {
            s.memory_limit = v.Scalar();
            s.memory_limit_bytes = *bytes;
          }
        }},
       {"cpu_quota",
        [&](const Node& v, const Key& k) { assign(r.number(v, k, 0.01, 64), s.cpu_quota); }},
       {"pids_limit",
        [&](const Node& v, const Key& k) { assign(r.integer(v, k, 1, 4194304), s.pids_limit); }},
       {"tmpfs_size",
        [&](const Node& v, const Key& k) {
          if (auto bytes = r.size(v, k, kMinTmpfsBytes)) {
            s.tmpfs_size = v.Scalar();
            s.tmpfs_size_bytes = *bytes;
          }
        }},
       {"capabilities",
        [&](const Node& v, const Key& k) { read_capability_lists(r, v, k, s.capabilities); }},
       {"security_opt",
        [&](const Node& v, const Key& k) {
          if (auto options = r.text_list(v, k, kSecurityOpt)) {
            warn_about_security_opts(r, v, k, *options);
            s.security_opt = std::move(*options);
          }
        }},
       {"disk_limit",
        [&](const Node& v, const Key& k) {
          if (auto bytes = r.size(v, k, kMinDiskBytes)) {
            s.disk_limit = v.Scalar();
            s.disk_limit_bytes = *bytes;
          }
        }},
       {"disk_check_interval",
        [&](const Node& v, const Key& k) { assign(r.integer(v, k, 1, 3600), s.disk_check_interval); }},
       {"runtime", [&](const Node& v, const Key& k) {
          if (v.IsNull()) {
            s.runtime.clear();
          } else {
            assign(r.text(v, k, kRuntime), s.runtime);
          }
        }}});
}

// One {image, weight} entry; nullopt after reporting what is wrong or missing.
std::optional<ImageProfile> read_image_profile(YamlReader& r, const Node& entry, const Key& key) {
  if (!entry.IsMap()) {
    r.expected(entry, key, "a mapping with \"image\" and an optional \"weight\"");
    return std::nullopt;
  }
  ImageProfile profile;
  bool valid = true;
  bool image_seen = false;
  r.mapping(entry, key,
            {{"image",
              [&](const Node& v, const Key& k) {
                image_seen = true;
                auto image = r.text(v, k, kImage);
                valid = valid && image.has_value();
                assign(image, profile.image);
              }},
             {"weight", [&](const Node& v, const Key& k) {
                auto weight = r.integer(v, k, 1, 1000);
                valid = valid && weight.has_value();
                assign(weight, profile.weight);
              }}});
  if (!image_seen) {
    r.diagnostics().error(entry.Mark(), key + ".image", "missing (each profile names an image)");
  }
  if (!image_seen || !valid) return std::nullopt;
  return profile;
}

void read_image_profiles(YamlReader& r, const Node& v, const Key& k, std::vector<ImageProfile>& out) {
  read_entry_list(r, v, k, "a list of {image, weight} mappings", read_image_profile, out);
}

void read_container_pool(YamlReader& r, const Node& node, const Key& key, ContainerPoolConfig& p) {
  r.mapping(
      node, key,
      {{"size", [&](const Node& v, const Key& k) { assign(r.integer(v, k, 0, 256), p.size); }},
       {"spawn_timeout",
        [&](const Node& v, const Key& k) { assign(r.integer(v, k, 1, 600), p.spawn_timeout); }},
       {"image", [&](const Node& v, const Key& k) { assign(r.text(v, k, kImage), p.image); }},
       {"max_session_duration",
        [&](const Node& v, const Key& k) {
          assign(r.integer(v, k, 1, kMaxSeconds), p.max_session_duration);
        }},
       {"cleanup_stopped_after_days",
        [&](const Node& v, const Key& k) {
          assign(r.integer(v, k, 0, 36500), p.cleanup_stopped_after_days);
        }},
       {"security", [&](const Node& v, const Key& k) { read_security(r, v, k, p.security); }},
       {"hostname",
        [&](const Node& v, const Key& k) { assign(r.text(v, k, kHostname), p.hostname); }},
       {"profiles", [&](const Node& v, const Key& k) { read_image_profiles(r, v, k, p.profiles); }},
       {"sticky_window", [&](const Node& v, const Key& k) {
          assign(r.integer(v, k, 0, kMaxSeconds), p.sticky_window);
        }}});
}

void read_recording(YamlReader& r, const Node& node, const Key& key, RecordingConfig& c) {
  r.mapping(node, key,
            {{"enabled", [&](const Node& v, const Key& k) { assign(r.boolean(v, k), c.enabled); }},
             {"output_dir",
              [&](const Node& v, const Key& k) { assign(r.text(v, k, kPath), c.output_dir); }},
             {"format",
              [&](const Node& v, const Key& k) {
                if (r.text(v, k, kRecordingFormat)) c.format = "asciinema";
              }},
             {"capture_metadata",
              [&](const Node& v, const Key& k) {
                assign(r.text_list(v, k, kListItem), c.capture_metadata);
              }},
             {"max_bytes", [&](const Node& v, const Key& k) {
                if (auto bytes = r.size(v, k, kMinRecordingBytes)) {
                  c.max_bytes = v.Scalar();
                  c.max_bytes_bytes = *bytes;
                }
              }}});
}

// A size where 0 means "no limit" (e.g. retention caps).
void read_optional_size(YamlReader& r, const Node& v, const Key& k, std::string& text, int64_t& bytes) {
  if (auto parsed = r.size(v, k, 0)) {
    text = v.Scalar();
    bytes = *parsed;
  }
}

void read_retention(YamlReader& r, const Node& node, const Key& key, RetentionConfig& c) {
  r.mapping(node, key,
            {{"max_kept_containers",
              [&](const Node& v, const Key& k) {
                assign(r.integer(v, k, 0, 1000000), c.max_kept_containers);
              }},
             {"max_data_size",
              [&](const Node& v, const Key& k) {
                read_optional_size(r, v, k, c.max_data_size, c.max_data_bytes);
              }},
             {"min_free_space",
              [&](const Node& v, const Key& k) {
                read_optional_size(r, v, k, c.min_free_space, c.min_free_bytes);
              }},
             {"export_before_removal",
              [&](const Node& v, const Key& k) { assign(r.boolean(v, k), c.export_before_removal); }},
             {"export_dir",
              [&](const Node& v, const Key& k) { assign(r.text(v, k, kPath), c.export_dir); }}});
}

void read_artifacts(YamlReader& r, const Node& node, const Key& key, ArtifactsConfig& c) {
  r.mapping(node, key,
            {{"enabled", [&](const Node& v, const Key& k) { assign(r.boolean(v, k), c.enabled); }},
             {"output_dir",
              [&](const Node& v, const Key& k) { assign(r.text(v, k, kPath), c.output_dir); }},
             {"max_files",
              [&](const Node& v, const Key& k) { assign(r.integer(v, k, 0, 1000000), c.max_files); }},
             {"max_file_size",
              [&](const Node& v, const Key& k) {
                read_optional_size(r, v, k, c.max_file_size, c.max_file_bytes);
              }},
             {"max_session_size", [&](const Node& v, const Key& k) {
                read_optional_size(r, v, k, c.max_session_size, c.max_session_bytes);
              }}});
}

void read_logging(YamlReader& r, const Node& node, const Key& key, LoggingConfig& c) {
  r.mapping(node, key,
            {{"level",
              [&](const Node& v, const Key& k) {
                if (auto level = r.text(v, k, kLogLevel)) c.level = to_upper_ascii(*level);
              }},
             {"format",
              [&](const Node& v, const Key& k) {
                if (auto format = r.text(v, k, kLogFormat)) c.format = to_lower_ascii(*format);
              }},
             {"output_dir",
              [&](const Node& v, const Key& k) { assign(r.text(v, k, kPath), c.output_dir); }},
             {"include_fields",
              [&](const Node& v, const Key& k) {
                assign(r.text_list(v, k, kListItem), c.include_fields);
              }},
             {"cowrie_compat",
              [&](const Node& v, const Key& k) { assign(r.boolean(v, k), c.cowrie_compat); }}});
}

void read_docker(YamlReader& r, const Node& node, const Key& key, DockerConfig& c) {
  r.mapping(node, key,
            {{"socket_path",
              [&](const Node& v, const Key& k) { assign(r.text(v, k, kPath), c.socket_path); }},
             {"base_url", [&](const Node& v, const Key& k) {
                // null and "" both mean "use socket_path", as in the original.
                if (v.IsNull()) {
                  c.base_url.reset();
                } else if (auto url = r.text(v, k, kDockerUrl)) {
                  c.base_url = url->empty() ? std::nullopt : std::optional<std::string>(*url);
                }
              }}});
}

}  // namespace

void read_config(YamlReader& r, const Node& root, Config& c) {
  r.mapping(
      root, "",
      {{"server", [&](const Node& v, const Key& k) { read_server(r, v, k, c.server); }},
       {"authentication",
        [&](const Node& v, const Key& k) { read_authentication(r, v, k, c.authentication); }},
       {"container_pool",
        [&](const Node& v, const Key& k) { read_container_pool(r, v, k, c.container_pool); }},
       {"recording", [&](const Node& v, const Key& k) { read_recording(r, v, k, c.recording); }},
       {"retention", [&](const Node& v, const Key& k) { read_retention(r, v, k, c.retention); }},
       {"artifacts", [&](const Node& v, const Key& k) { read_artifacts(r, v, k, c.artifacts); }},
       {"logging", [&](const Node& v, const Key& k) { read_logging(r, v, k, c.logging); }},
       {"docker", [&](const Node& v, const Key& k) { read_docker(r, v, k, c.docker); }}});
}

}  // namespace hermes::config
