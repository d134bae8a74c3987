#include "config/config_loader.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>

#include "config_test_support.hpp"

namespace hermes::config {
namespace {

using test_support::inspect;
using test_support::joined;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;

std::string host_name() {
  char buffer[256] = {};
  gethostname(buffer, sizeof buffer - 1);
  return buffer;
}

TEST(LoadConfig, SeedSchemaExampleLoadsUnchangedWithoutWarnings) {
  auto loaded = load_config_file(test_support::fixture_path("seed-original.yaml"));
  ASSERT_TRUE(loaded.has_value()) << loaded.error().message;
  EXPECT_THAT(loaded->warnings, IsEmpty()) << joined(loaded->warnings);
  const Config& c = loaded->config;
  EXPECT_EQ(c.server.host, "0.0.0.0");
  EXPECT_EQ(c.server.port, 2222);
  EXPECT_EQ(c.server.host_key_path, "/data/keys/ssh_host_rsa_key");
  EXPECT_EQ(c.server.max_concurrent_sessions, 10);
  EXPECT_EQ(c.server.session_timeout, 3600);
  ASSERT_THAT(c.authentication.static_credentials, SizeIs(7));
  EXPECT_EQ(c.authentication.static_credentials[0], (Credential{"root", "toor"}));
  EXPECT_EQ(c.authentication.static_credentials[6], (Credential{"ubuntu", "ubuntu"}));
  EXPECT_EQ(c.authentication.accept_all_after_failures, 3);
  EXPECT_EQ(c.container_pool.size, 3);
  EXPECT_EQ(c.container_pool.spawn_timeout, 30);
  EXPECT_EQ(c.container_pool.image, "hermes-target-ubuntu:latest");
  EXPECT_EQ(c.container_pool.max_session_duration, 3600);
  EXPECT_EQ(c.container_pool.cleanup_stopped_after_days, 7);
  const SecurityConfig& s = c.container_pool.security;
  EXPECT_EQ(s.network_mode, "none");
  EXPECT_EQ(s.memory_limit, "256m");
  EXPECT_EQ(s.memory_limit_bytes, 256LL * 1024 * 1024);
  EXPECT_DOUBLE_EQ(s.cpu_quota, 0.5);
  EXPECT_EQ(s.pids_limit, 100);
  EXPECT_EQ(s.tmpfs_size_bytes, 50LL * 1024 * 1024);
  EXPECT_THAT(s.capabilities.drop, ElementsAre("ALL"));
  EXPECT_THAT(s.capabilities.add, ElementsAre("CHOWN", "SETUID", "SETGID"));
  EXPECT_THAT(s.security_opt, ElementsAre("no-new-privileges:true"));
  EXPECT_TRUE(c.recording.enabled);
  EXPECT_EQ(c.recording.output_dir, "/data/recordings");
  EXPECT_EQ(c.recording.format, "asciinema");
  EXPECT_THAT(c.recording.capture_metadata, SizeIs(5));
  EXPECT_EQ(c.logging.level, "INFO");
  EXPECT_EQ(c.logging.format, "json");
  EXPECT_EQ(c.logging.output_dir, "/data/logs");
  EXPECT_THAT(c.logging.include_fields,
              ElementsAre("timestamp", "session_id", "username", "source_ip", "event_type"));
  EXPECT_EQ(c.docker.socket_path, "/var/run/docker.sock");
  EXPECT_FALSE(c.docker.base_url.has_value());
}

TEST(LoadConfig, ProjectDefaultConfigLoadsWithoutWarnings) {
  auto loaded = load_config_file(test_support::repository_file("config/hermes.yaml"));
  ASSERT_TRUE(loaded.has_value()) << loaded.error().message;
  EXPECT_THAT(loaded->warnings, IsEmpty()) << joined(loaded->warnings);
  const Config& c = loaded->config;
  EXPECT_EQ(c.server.port, 2222);
  EXPECT_EQ(c.server.host_key_path, "./data/keys/ssh_host_rsa_key");
  EXPECT_THAT(c.authentication.static_credentials, SizeIs(9));
  EXPECT_EQ(c.container_pool.image, "hermes-target-debian:latest");
  EXPECT_EQ(c.recording.output_dir, "./data/recordings");
  EXPECT_EQ(c.logging.output_dir, "./data/logs");
  EXPECT_EQ(c.logging.format, "text");
}

TEST(LoadConfig, EmptyTextNullAndCommentsGiveAllDefaults) {
  for (const char* text : {"", "~", "null", "# only a comment\n", "---\n"}) {
    const ConfigReport report = inspect(text);
    ASSERT_TRUE(report.ok()) << text << ": " << joined(report.errors);
    EXPECT_THAT(report.warnings, IsEmpty()) << text;
    const Config& c = report.config;
    const Config defaults;
    EXPECT_EQ(c.server.port, defaults.server.port);
    EXPECT_EQ(c.server.host_key_path, defaults.server.host_key_path);
    EXPECT_EQ(c.container_pool.image, defaults.container_pool.image);
    EXPECT_EQ(c.container_pool.security.memory_limit_bytes, 256LL * 1024 * 1024);
    EXPECT_THAT(c.container_pool.security.capabilities.drop, ElementsAre("ALL"));
    EXPECT_THAT(c.authentication.static_credentials, IsEmpty());
    EXPECT_EQ(c.server.sensor_name, host_name());
  }
}

TEST(LoadConfig, MissingKeysKeepDefaultsBesideGivenOnes) {
  const ConfigReport report = inspect("server:\n  port: 2200\n");
  ASSERT_TRUE(report.ok()) << joined(report.errors);
  EXPECT_EQ(report.config.server.port, 2200);
  EXPECT_EQ(report.config.server.host, "0.0.0.0");
  EXPECT_EQ(report.config.server.session_timeout, 3600);
  EXPECT_EQ(report.config.logging.level, "INFO");
}

TEST(LoadConfig, SectionWithEverythingCommentedOutKeepsDefaults) {
  const ConfigReport report = inspect("server:\n  # port: 1\nlogging:\n");
  ASSERT_TRUE(report.ok()) << joined(report.errors);
  EXPECT_EQ(report.config.server.port, 2222);
}

TEST(LoadConfig, TopLevelMustBeAMapping) {
  for (const char* text : {"- a\n- b\n", "just text\n", "42\n"}) {
    auto loaded = load_config_string(text, "test.yaml");
    ASSERT_FALSE(loaded.has_value()) << text;
    EXPECT_THAT(loaded.error().message,
                HasSubstr("expected a mapping of settings at the top level"));
  }
}

TEST(LoadConfig, UnknownKeysAreWarningsNamingTheFullKey) {
  const ConfigReport report = inspect(
      "server:\n  prot: 22\ncontainer_pool:\n  security:\n    capabilities:\n      keep: [X]\n"
      "extra_section: {a: 1}\n");
  ASSERT_TRUE(report.ok()) << joined(report.errors);
  EXPECT_THAT(
      report.warnings,
      ElementsAre(HasSubstr("unknown key server.prot (ignored)"),
                  HasSubstr("unknown key container_pool.security.capabilities.keep (ignored)"),
                  HasSubstr("unknown key extra_section (ignored)")));
  EXPECT_EQ(report.config.server.port, 2222);
}

TEST(LoadConfig, MessagesCarryTheSourceLineAndColumn) {
  const ConfigReport report = inspect("server:\n  prot: 22\n  port: abc\n");
  ASSERT_THAT(report.warnings, SizeIs(1));
  EXPECT_THAT(report.warnings[0], ::testing::StartsWith("test.yaml:2:3: "));
  ASSERT_THAT(report.errors, SizeIs(1));
  EXPECT_EQ(report.errors[0],
            "test.yaml:3:9: server.port: expected an integer from 1 to 65535, got \"abc\"");
}

// Each entry: a document with one bad value, the key the error must name, and a piece of the
// expectation it must state.
struct BadValueCase {
  const char* yaml;
  const char* key;
  const char* expected;
};

class BadValue : public ::testing::TestWithParam<BadValueCase> {};

TEST_P(BadValue, IsAnErrorNamingKeyValueAndExpectation) {
  const BadValueCase& c = GetParam();
  auto loaded = load_config_string(c.yaml, "test.yaml");
  ASSERT_FALSE(loaded.has_value()) << c.yaml;
  const std::string& message = loaded.error().message;
  EXPECT_THAT(message, AllOf(HasSubstr(std::string(c.key) + ": expected "), HasSubstr(c.expected),
                             HasSubstr(", got ")))
      << message;
}

INSTANTIATE_TEST_SUITE_P(
    EveryRule, BadValue,
    ::testing::Values(
        BadValueCase{"server: {port: 0}", "server.port", "from 1 to 65535"},
        BadValueCase{"server: {port: 65536}", "server.port", "from 1 to 65535"},
        BadValueCase{"server: {port: [1]}", "server.port", "an integer"},
        BadValueCase{"server: {port: 22.5}", "server.port", "an integer"},
        BadValueCase{"server: {port: }", "server.port", "an integer"},
        BadValueCase{"server: {host: ''}", "server.host", "IP address or host name"},
        BadValueCase{"server: {host_key_path: ''}", "server.host_key_path", "path"},
        BadValueCase{"server: {host_key_path: \"a\\nb\"}", "server.host_key_path", "path"},
        BadValueCase{"server: {max_concurrent_sessions: 0}", "server.max_concurrent_sessions",
                     "from 1"},
        BadValueCase{"server: {session_timeout: 59}", "server.session_timeout", "from 60"},
        BadValueCase{"server: {version_string: \"SSH-1.5-x\"}", "server.version_string",
                     "SSH version"},
        BadValueCase{"server: {version_string: \"OpenSSH\\r\\nx\"}", "server.version_string",
                     "printable ASCII"},
        BadValueCase{"server: {sensor_name: ''}", "server.sensor_name", "name"},
        BadValueCase{"server: {worker_threads: 65}", "server.worker_threads", "from 1 to 64"},
        BadValueCase{"server: {login_grace_time: 0}", "server.login_grace_time", "from 1 to 3600"},
        BadValueCase{"server: {max_auth_tries: 0}", "server.max_auth_tries", "from 1 to 1000"},
        BadValueCase{"authentication: {accept_all_after_failures: -1}",
                     "authentication.accept_all_after_failures", "from 0"},
        BadValueCase{"authentication: {static_credentials: {root: toor}}",
                     "authentication.static_credentials", "a list of {username, password}"},
        BadValueCase{"authentication: {static_credentials: [root]}",
                     "authentication.static_credentials[0]", "a mapping with"},
        BadValueCase{"authentication: {static_credentials: [{username: '', password: x}]}",
                     "authentication.static_credentials[0].username", "non-empty user name"},
        BadValueCase{"authentication: {static_credentials: [{username: a, password: [x]}]}",
                     "authentication.static_credentials[0].password", "a password"},
        BadValueCase{"authentication: {static_credentials: [{username: a, password: ~}]}",
                     "authentication.static_credentials[0].password", "a password"},
        BadValueCase{"container_pool: {size: 257}", "container_pool.size", "from 0 to 256"},
        BadValueCase{"container_pool: {spawn_timeout: 0}", "container_pool.spawn_timeout",
                     "from 1 to 600"},
        BadValueCase{"container_pool: {spawn_timeout: 601}", "container_pool.spawn_timeout",
                     "from 1 to 600"},
        BadValueCase{"container_pool: {image: 'bad image'}", "container_pool.image",
                     "image reference"},
        BadValueCase{"container_pool: {max_session_duration: 0}",
                     "container_pool.max_session_duration", "from 1"},
        BadValueCase{"container_pool: {cleanup_stopped_after_days: -1}",
                     "container_pool.cleanup_stopped_after_days", "from 0"},
        BadValueCase{"container_pool: {hostname: 'web_01'}", "container_pool.hostname",
                     "1 to 63 letters"},
        BadValueCase{"container_pool: {hostname: 'a.b'}", "container_pool.hostname", "host name"},
        BadValueCase{"container_pool: {security: {network_mode: ''}}",
                     "container_pool.security.network_mode", "\"none\""},
        BadValueCase{"container_pool: {security: {memory_limit: 5m}}",
                     "container_pool.security.memory_limit", "from 6 MiB"},
        BadValueCase{"container_pool: {security: {memory_limit: lots}}",
                     "container_pool.security.memory_limit", "a size such as"},
        BadValueCase{"container_pool: {security: {tmpfs_size: 0}}",
                     "container_pool.security.tmpfs_size", "from 1 MiB"},
        BadValueCase{"container_pool: {security: {cpu_quota: 0}}",
                     "container_pool.security.cpu_quota", "a number from 0.01 to 64"},
        BadValueCase{"container_pool: {security: {cpu_quota: 65}}",
                     "container_pool.security.cpu_quota", "a number from 0.01 to 64"},
        BadValueCase{"container_pool: {security: {cpu_quota: .nan}}",
                     "container_pool.security.cpu_quota", "a number"},
        BadValueCase{"container_pool: {security: {pids_limit: 0}}",
                     "container_pool.security.pids_limit", "from 1"},
        BadValueCase{"container_pool: {security: {capabilities: {add: [CHOWN, FLY]}}}",
                     "container_pool.security.capabilities.add[1]", "Linux capability name"},
        BadValueCase{"container_pool: {security: {capabilities: {drop: ALL}}}",
                     "container_pool.security.capabilities.drop", "a list"},
        BadValueCase{"container_pool: {security: {capabilities: [ALL]}}",
                     "container_pool.security.capabilities", "a mapping of settings"},
        BadValueCase{"container_pool: {security: {security_opt: [{a: b}]}}",
                     "container_pool.security.security_opt[0]", "security option"},
        BadValueCase{"recording: {enabled: maybe}", "recording.enabled", "true or false"},
        BadValueCase{"recording: {format: mp4}", "recording.format", "\"asciinema\""},
        BadValueCase{"recording: {output_dir: [a]}", "recording.output_dir", "a path"},
        BadValueCase{"recording: {capture_metadata: [[x]]}", "recording.capture_metadata[0]",
                     "text"},
        BadValueCase{"logging: {level: LOUD}", "logging.level", "DEBUG, INFO, WARNING"},
        BadValueCase{"logging: {format: xml}", "logging.format", "\"json\" or \"text\""},
        BadValueCase{"logging: {include_fields: timestamp}", "logging.include_fields", "a list"},
        BadValueCase{"docker: {socket_path: ''}", "docker.socket_path", "a path"},
        BadValueCase{"docker: {base_url: 'docker:2375'}", "docker.base_url", "\"tcp://host:port\""},
        BadValueCase{"docker: 5", "docker", "a mapping of settings"},
        BadValueCase{"authentication: {publickey: maybe}", "authentication.publickey",
                     "\"reject\" or \"accept\""},
        BadValueCase{"authentication: {failure_delay: slow}", "authentication.failure_delay",
                     "\"persona\" or a number of seconds"},
        BadValueCase{"authentication: {failure_delay: 31}", "authentication.failure_delay",
                     "from 0 to 30"},
        BadValueCase{"authentication: {failure_delay: -1}", "authentication.failure_delay",
                     "from 0 to 30"},
        BadValueCase{"authentication: {honeytokens: {key_fingerprints: ['MD5:ab:cd']}}",
                     "authentication.honeytokens.key_fingerprints[0]", "SHA256:"},
        BadValueCase{"container_pool: {profiles: [{image: 'a b'}]}",
                     "container_pool.profiles[0].image", "image reference"},
        BadValueCase{"container_pool: {profiles: [{image: a, weight: 0}]}",
                     "container_pool.profiles[0].weight", "from 1 to 1000"},
        BadValueCase{"container_pool: {sticky_window: -1}", "container_pool.sticky_window",
                     "from 0"},
        BadValueCase{"artifacts: {max_files: -1}", "artifacts.max_files", "from 0"},
        BadValueCase{"artifacts: {max_file_size: huge}", "artifacts.max_file_size", "a size"},
        BadValueCase{"logging: {cowrie_compat: perhaps}", "logging.cowrie_compat",
                     "true or false"}));

TEST(LoadConfig, CollectsEveryErrorNotJustTheFirst) {
  auto loaded = load_config_string(
      "server:\n  port: abc\n  session_timeout: 10\nlogging:\n  level: LOUD\n", "test.yaml");
  ASSERT_FALSE(loaded.has_value());
  const std::string& message = loaded.error().message;
  EXPECT_THAT(message, HasSubstr("server.port: expected an integer from 1 to 65535, got \"abc\""));
  EXPECT_THAT(message, HasSubstr("server.session_timeout: expected an integer from 60"));
  EXPECT_THAT(message, HasSubstr("logging.level: expected one of"));
  EXPECT_EQ(std::count(message.begin(), message.end(), '\n'), 2) << message;
}

TEST(LoadConfig, ErrorCountIsCappedAgainstHostileInput) {
  std::string yaml = "authentication:\n  static_credentials:\n";
  for (int i = 0; i < 500; ++i) yaml += "    - bad\n";
  const ConfigReport report = inspect(yaml);
  ASSERT_THAT(report.errors, SizeIs(101));
  EXPECT_THAT(report.errors.back(), HasSubstr("400 more errors not shown"));
}

TEST(LoadConfig, DuplicateUsernamesKeepEveryPasswordInOrder) {
  const ConfigReport report = inspect(
      "authentication:\n  static_credentials:\n"
      "    - {username: root, password: toor}\n"
      "    - {username: admin, password: admin}\n"
      "    - {username: root, password: root}\n");
  ASSERT_TRUE(report.ok()) << joined(report.errors);
  EXPECT_THAT(report.config.authentication.static_credentials,
              ElementsAre(Credential{"root", "toor"}, Credential{"admin", "admin"},
                          Credential{"root", "root"}));
}

TEST(LoadConfig, NumericAndOtherScalarPasswordsKeepTheirText) {
  const ConfigReport report = inspect(
      "authentication:\n  static_credentials:\n"
      "    - {username: root, password: 123456}\n"
      "    - {username: root, password: 0123}\n"
      "    - {username: root, password: 1.50}\n"
      "    - {username: root, password: yes}\n"
      "    - {username: 1000, password: ''}\n");
  ASSERT_TRUE(report.ok()) << joined(report.errors);
  EXPECT_THAT(
      report.config.authentication.static_credentials,
      ElementsAre(Credential{"root", "123456"}, Credential{"root", "0123"},
                  Credential{"root", "1.50"}, Credential{"root", "yes"}, Credential{"1000", ""}));
}

TEST(LoadConfig, CredentialWithMissingFieldsNamesThem) {
  auto loaded = load_config_string(
      "authentication:\n  static_credentials:\n    - {username: root}\n    - {password: x}\n",
      "test.yaml");
  ASSERT_FALSE(loaded.has_value());
  EXPECT_THAT(loaded.error().message,
              AllOf(HasSubstr("authentication.static_credentials[0].password: missing"),
                    HasSubstr("authentication.static_credentials[1].username: missing")));
}

TEST(LoadConfig, SizesAreConvertedToBytes) {
  const ConfigReport report =
      inspect("container_pool:\n  security:\n    memory_limit: 1g\n    tmpfs_size: 512k\n");
  // 512k is below the tmpfs minimum: the memory limit is still read.
  ASSERT_FALSE(report.ok());
  EXPECT_THAT(joined(report.errors), HasSubstr("container_pool.security.tmpfs_size"));

  const ConfigReport good =
      inspect("container_pool:\n  security:\n    memory_limit: 1g\n    tmpfs_size: 64mb\n");
  ASSERT_TRUE(good.ok()) << joined(good.errors);
  EXPECT_EQ(good.config.container_pool.security.memory_limit, "1g");
  EXPECT_EQ(good.config.container_pool.security.memory_limit_bytes, 1LL << 30);
  EXPECT_EQ(good.config.container_pool.security.tmpfs_size_bytes, 64LL << 20);

  const ConfigReport plain = inspect("container_pool: {security: {memory_limit: 1048576000}}");
  ASSERT_TRUE(plain.ok()) << joined(plain.errors);
  EXPECT_EQ(plain.config.container_pool.security.memory_limit_bytes, 1048576000);
}

TEST(LoadConfig, YamlSyntaxErrorGivesLineAndColumn) {
  auto loaded = load_config_string("server:\n  port: [2222\n  host: x\n", "broken.yaml");
  ASSERT_FALSE(loaded.has_value());
  EXPECT_THAT(loaded.error().message,
              ::testing::MatchesRegex("broken\\.yaml:[0-9]+:[0-9]+: YAML syntax error: .+"));

  auto tabs = load_config_string("server:\n\tport: 1\n", "tabs.yaml");
  ASSERT_FALSE(tabs.has_value());
  EXPECT_THAT(tabs.error().message, HasSubstr("tabs.yaml:"));
}

TEST(LoadConfig, SeveralDocumentsAreAnError) {
  auto loaded = load_config_string("server: {port: 1}\n---\nserver: {port: 2}\n", "t.yaml");
  ASSERT_FALSE(loaded.has_value());
  EXPECT_THAT(loaded.error().message,
              HasSubstr("t.yaml:2:1: expected one YAML document, found more"));
}

// yaml-cpp 0.7's LoadAll loops forever on these (upstream PR #1319); they must be syntax errors.
TEST(LoadConfig, InputThatStallsTheYamlParserIsASyntaxError) {
  for (const char* text : {",", ", a: 1\n", ", host: *s}\n", "server: {port: 1}\n---\n,\n"}) {
    const ConfigReport report = inspect(text);
    ASSERT_FALSE(report.ok()) << text;
    EXPECT_THAT(joined(report.errors), HasSubstr("YAML syntax error: unexpected \",\"")) << text;
  }
}

TEST(LoadConfig, TextOverOneMebibyteIsRefused) {
  std::string yaml = "server:\n  port: 2222\n";
  yaml.append(kMaxConfigBytes, '#');
  auto loaded = load_config_string(yaml, "big.yaml");
  ASSERT_FALSE(loaded.has_value());
  EXPECT_THAT(loaded.error().message, HasSubstr("larger than 1048576 bytes"));
}

TEST(LoadConfig, DuplicateKeyWarnsAndTheLastValueWins) {
  const ConfigReport report = inspect("server:\n  port: 1000\n  port: 2000\n");
  ASSERT_TRUE(report.ok()) << joined(report.errors);
  EXPECT_EQ(report.config.server.port, 2000);
  EXPECT_THAT(report.warnings, ElementsAre(HasSubstr("duplicate key server.port")));
}

TEST(LoadConfig, NetworkAccessIsAcceptedWithALoudWarning) {
  const ConfigReport report = inspect("container_pool: {security: {network_mode: bridge}}");
  ASSERT_TRUE(report.ok()) << joined(report.errors);
  EXPECT_EQ(report.config.container_pool.security.network_mode, "bridge");
  EXPECT_THAT(report.warnings, ElementsAre(AllOf(HasSubstr("container_pool.security.network_mode"),
                                                 HasSubstr("sandboxes get network access"))));
}

TEST(LoadConfig, CapabilitiesAreNormalizedAndRiskyOnesWarned) {
  const ConfigReport report = inspect(
      "container_pool: {security: {capabilities: {drop: [all], add: [cap_chown, Sys_Admin]}}}");
  ASSERT_TRUE(report.ok()) << joined(report.errors);
  const auto& caps = report.config.container_pool.security.capabilities;
  EXPECT_THAT(caps.drop, ElementsAre("ALL"));
  EXPECT_THAT(caps.add, ElementsAre("CHOWN", "SYS_ADMIN"));
  EXPECT_THAT(report.warnings, ElementsAre(HasSubstr("adding SYS_ADMIN")));
}

TEST(LoadConfig, WeakenedConfinementIsWarned) {
  const ConfigReport report = inspect(
      "container_pool: {security: {capabilities: {drop: [NET_RAW]}, "
      "security_opt: [seccomp=unconfined]}}");
  ASSERT_TRUE(report.ok()) << joined(report.errors);
  EXPECT_THAT(report.warnings, ElementsAre(HasSubstr("capabilities.drop: does not contain ALL"),
                                           HasSubstr("\"seccomp=unconfined\" removes a layer"),
                                           HasSubstr("no \"no-new-privileges:true\"")));
}

TEST(LoadConfig, NewKeysAreReadAndVersionStringGetsItsPrefix) {
  const ConfigReport report = inspect(
      "server: {version_string: 'OpenSSH_8.4p1 Debian-5+deb11u7', sensor_name: sensor-eu-1, "
      "worker_threads: 4, login_grace_time: 30, max_auth_tries: 3}\n"
      "container_pool: {hostname: db-02}\n");
  ASSERT_TRUE(report.ok()) << joined(report.errors);
  EXPECT_EQ(report.config.server.version_string, "SSH-2.0-OpenSSH_8.4p1 Debian-5+deb11u7");
  EXPECT_EQ(report.config.server.sensor_name, "sensor-eu-1");
  EXPECT_EQ(report.config.server.worker_threads, 4);
  EXPECT_EQ(report.config.server.login_grace_time, 30);
  EXPECT_EQ(report.config.server.max_auth_tries, 3);
  EXPECT_EQ(report.config.container_pool.hostname, "db-02");
}

TEST(LoadConfig, LimitAndRetentionKeysAreRead) {
  const ConfigReport report = inspect(
      "server: {max_connections: 50, max_connections_per_ip: 4, connection_rate_per_ip: 0, "
      "idle_timeout: 30}\n"
      "container_pool: {security: {disk_limit: 200m, disk_check_interval: 2, runtime: runsc}}\n"
      "recording: {max_bytes: 1m}\n"
      "retention: {max_kept_containers: 0, max_data_size: 0, min_free_space: 512m, "
      "export_before_removal: true, export_dir: /srv/exports}\n");
  ASSERT_TRUE(report.ok()) << joined(report.errors);
  const Config& c = report.config;
  EXPECT_EQ(c.server.max_connections, 50);
  EXPECT_EQ(c.server.max_connections_per_ip, 4);
  EXPECT_EQ(c.server.connection_rate_per_ip, 0);
  EXPECT_EQ(c.server.idle_timeout, 30);
  EXPECT_EQ(c.container_pool.security.disk_limit_bytes, 200LL << 20);
  EXPECT_EQ(c.container_pool.security.disk_check_interval, 2);
  EXPECT_EQ(c.container_pool.security.runtime, "runsc");
  EXPECT_EQ(c.recording.max_bytes_bytes, 1LL << 20);
  EXPECT_EQ(c.retention.max_kept_containers, 0);
  EXPECT_EQ(c.retention.max_data_bytes, 0);
  EXPECT_EQ(c.retention.min_free_bytes, 512LL << 20);
  EXPECT_TRUE(c.retention.export_before_removal);
  EXPECT_EQ(c.retention.export_dir, "/srv/exports");
}

TEST(LoadConfig, CaptureAndDeceptionKeysAreRead) {
  const ConfigReport report = inspect(
      "authentication:\n"
      "  publickey: ACCEPT\n"
      "  failure_delay: 0.25\n"
      "  honeytokens:\n"
      "    credentials: [{username: backup, password: 'Xk9#2mQ'}]\n"
      "    key_fingerprints: ['SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s']\n"
      "container_pool:\n"
      "  profiles: [{image: 'hermes-target-debian:latest', weight: 3}, {image: 'x:1'}]\n"
      "  sticky_window: 3600\n"
      "artifacts: {enabled: false, output_dir: /srv/artifacts, max_files: 10, max_file_size: 1m, "
      "max_session_size: 0}\n"
      "logging: {cowrie_compat: true}\n");
  ASSERT_TRUE(report.ok()) << joined(report.errors);
  const Config& c = report.config;
  EXPECT_EQ(c.authentication.publickey, "accept");
  EXPECT_EQ(c.authentication.failure_delay, std::optional<double>(0.25));
  EXPECT_EQ(c.authentication.honeytokens.credentials,
            (std::vector<Credential>{{"backup", "Xk9#2mQ"}}));
  EXPECT_EQ(c.authentication.honeytokens.key_fingerprints,
            std::vector<std::string>{"SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s"});
  EXPECT_EQ(c.container_pool.profiles,
            (std::vector<ImageProfile>{{"hermes-target-debian:latest", 3}, {"x:1", 1}}));
  EXPECT_EQ(c.container_pool.sticky_window, 3600);
  EXPECT_FALSE(c.artifacts.enabled);
  EXPECT_EQ(c.artifacts.output_dir, "/srv/artifacts");
  EXPECT_EQ(c.artifacts.max_files, 10);
  EXPECT_EQ(c.artifacts.max_file_bytes, 1LL << 20);
  EXPECT_EQ(c.artifacts.max_session_bytes, 0);
  EXPECT_TRUE(c.logging.cowrie_compat);
}

TEST(LoadConfig, HoneytokenAndProfileEntriesNameTheirMissingFields) {
  const ConfigReport report = inspect(
      "authentication: {honeytokens: {credentials: [{username: a}]}}\n"
      "container_pool: {profiles: [{weight: 2}]}\n");
  const std::string errors = joined(report.errors);
  EXPECT_THAT(errors, AllOf(HasSubstr("authentication.honeytokens.credentials[0].password: missing"),
                            HasSubstr("container_pool.profiles[0].image: missing")));
}

TEST(LoadConfig, LimitKeysRefuseNonsense) {
  const ConfigReport report = inspect(
      "server: {max_connections: -1, idle_timeout: -5}\n"
      "container_pool: {security: {disk_limit: 10k, runtime: 'run sc;rm'}}\n"
      "recording: {max_bytes: 100}\n");
  EXPECT_FALSE(report.ok());
  const std::string errors = joined(report.errors);
  EXPECT_THAT(errors, AllOf(HasSubstr("server.max_connections"), HasSubstr("server.idle_timeout"),
                            HasSubstr("container_pool.security.disk_limit"),
                            HasSubstr("container_pool.security.runtime"),
                            HasSubstr("recording.max_bytes")));
}

TEST(LoadConfig, LevelAndFormatAreCaseInsensitiveAndNormalized) {
  const ConfigReport report = inspect("logging: {level: warning, format: JSON}");
  ASSERT_TRUE(report.ok()) << joined(report.errors);
  EXPECT_EQ(report.config.logging.level, "WARNING");
  EXPECT_EQ(report.config.logging.format, "json");
}

TEST(LoadConfig, DockerBaseUrlForms) {
  EXPECT_EQ(inspect("docker: {base_url: 'tcp://docker-socket-proxy:2375'}").config.docker.base_url,
            "tcp://docker-socket-proxy:2375");
  EXPECT_EQ(inspect("docker: {base_url: 'unix:///run/docker.sock'}").config.docker.base_url,
            "unix:///run/docker.sock");
  EXPECT_FALSE(inspect("docker: {base_url: ''}").config.docker.base_url.has_value());
  EXPECT_FALSE(inspect("docker: {base_url: ~}").config.docker.base_url.has_value());
}

TEST(LoadConfig, HostileKeysAndValuesAreEscapedInMessages) {
  const ConfigReport report = inspect("server:\n  \"evil\\nkey\": 1\n  port: \"1\\r\\n2\"\n");
  ASSERT_THAT(report.warnings, SizeIs(1));
  EXPECT_THAT(report.warnings[0], HasSubstr("unknown key server.evil\\nkey"));
  ASSERT_THAT(report.errors, SizeIs(1));
  EXPECT_THAT(report.errors[0], HasSubstr("got \"1\\r\\n2\""));
  EXPECT_EQ(report.errors[0].find('\n'), std::string::npos);
}

TEST(LoadConfig, SelfReferencingAliasDoesNotHang) {
  const ConfigReport report = inspect("server: &a\n  host: *a\n");
  EXPECT_FALSE(report.ok());
}

TEST(LoadConfigFile, MissingFileIsAnErrorNamingThePath) {
  auto loaded = load_config_file("/nonexistent/hermes.yaml");
  ASSERT_FALSE(loaded.has_value());
  EXPECT_THAT(loaded.error().message, HasSubstr("cannot open /nonexistent/hermes.yaml"));
}

TEST(LoadConfigFile, DirectoriesAndDevicesAreRefused) {
  auto dir = load_config_file(test_support::source_dir().string());
  ASSERT_FALSE(dir.has_value());
  EXPECT_THAT(dir.error().message, HasSubstr("is not a regular file"));
  auto device = load_config_file("/dev/zero");
  ASSERT_FALSE(device.has_value());
  EXPECT_THAT(device.error().message, HasSubstr("is not a regular file"));
}

TEST(LoadConfigFile, FileErrorsNameTheFile) {
  const std::string path = ::testing::TempDir() + "hermes-config-test.yaml";
  {
    std::ofstream file(path);
    file << "server:\n  port: 99999\n";
  }
  auto loaded = load_config_file(path);
  std::remove(path.c_str());
  ASSERT_FALSE(loaded.has_value());
  EXPECT_THAT(loaded.error().message, ::testing::StartsWith(path + ":2:9: server.port"));
}

TEST(LoadConfig, FailureDelayDefaultsToThePersonaAndNamesIt) {
  const ConfigReport absent = inspect("authentication: {accept_all_after_failures: 0}\n");
  ASSERT_TRUE(absent.ok()) << joined(absent.errors);
  EXPECT_EQ(absent.config.authentication.failure_delay, std::nullopt);
  const ConfigReport named = inspect("authentication: {failure_delay: Persona}\n");
  ASSERT_TRUE(named.ok()) << joined(named.errors);
  EXPECT_EQ(named.config.authentication.failure_delay, std::nullopt);
  const ConfigReport zero = inspect("authentication: {failure_delay: 0}\n");
  ASSERT_TRUE(zero.ok()) << joined(zero.errors);
  EXPECT_EQ(zero.config.authentication.failure_delay, std::optional<double>(0.0));
}
}  // namespace
}  // namespace hermes::config
