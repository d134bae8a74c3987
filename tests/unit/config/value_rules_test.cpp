#include "config/value_rules.hpp"

#include <gtest/gtest.h>

#include "config/capabilities.hpp"

namespace hermes::config {
namespace {

TEST(NormalizeVersionString, AddsThePrefixWhenMissing) {
  EXPECT_EQ(normalize_version_string("OpenSSH_8.4p1 Debian-5+deb11u7"),
            "SSH-2.0-OpenSSH_8.4p1 Debian-5+deb11u7");
  EXPECT_EQ(normalize_version_string("SSH-2.0-OpenSSH_9.2p1"), "SSH-2.0-OpenSSH_9.2p1");
}

TEST(NormalizeVersionString, RefusesWhatNoSshServerWouldSend) {
  EXPECT_EQ(normalize_version_string(""), std::nullopt);
  EXPECT_EQ(normalize_version_string("SSH-2.0-"), std::nullopt);
  EXPECT_EQ(normalize_version_string("SSH-1.99-OpenSSH_3.9"), std::nullopt);
  EXPECT_EQ(normalize_version_string("OpenSSH_9.2p1\r\nInjected"), std::nullopt);
  EXPECT_EQ(normalize_version_string("Open-SSH_9"), std::nullopt);  // '-' in softwareversion
  EXPECT_EQ(normalize_version_string("OpenSSH_9.2p1 caf\xc3\xa9"), std::nullopt);
  EXPECT_EQ(normalize_version_string(" leading-space"), std::nullopt);
  EXPECT_TRUE(normalize_version_string(std::string(192, 'a')).has_value());
  EXPECT_EQ(normalize_version_string(std::string(193, 'a')), std::nullopt);  // 8 + 193 > 200
}

TEST(IsHostnameLabel, FollowsRfc1123) {
  EXPECT_TRUE(is_hostname_label("prod-web-01"));
  EXPECT_TRUE(is_hostname_label(std::string(63, 'a')));
  EXPECT_FALSE(is_hostname_label(std::string(64, 'a')));
  EXPECT_FALSE(is_hostname_label(""));
  EXPECT_FALSE(is_hostname_label("-web"));
  EXPECT_FALSE(is_hostname_label("web-"));
  EXPECT_FALSE(is_hostname_label("web.example"));
  EXPECT_FALSE(is_hostname_label("web_01"));
}

TEST(IsDockerBaseUrl, AcceptsTcpAndUnixForms) {
  EXPECT_TRUE(is_docker_base_url("tcp://docker-socket-proxy:2375"));
  EXPECT_TRUE(is_docker_base_url("tcp://127.0.0.1:2375/"));
  EXPECT_TRUE(is_docker_base_url("tcp://[::1]:2375"));
  EXPECT_TRUE(is_docker_base_url("unix:///var/run/docker.sock"));
  for (const char* bad : {"", "docker-socket-proxy:2375", "http://host:2375", "tcp://host",
                          "tcp://host:0", "tcp://host:65536", "tcp://:2375", "tcp://ho st:1",
                          "unix://relative.sock", "unix:///", "tcp://[::1]"}) {
    EXPECT_FALSE(is_docker_base_url(bad)) << bad;
  }
}

TEST(IsPathText, RefusesEmptyAndControlCharacters) {
  EXPECT_TRUE(is_path_text("./data/keys/ssh_host_rsa_key"));
  EXPECT_TRUE(is_path_text("/data/r\xc3\xa9sum\xc3\xa9"));
  EXPECT_FALSE(is_path_text(""));
  EXPECT_FALSE(is_path_text(std::string("a\0b", 3)));
  EXPECT_FALSE(is_path_text("a\nb"));
  EXPECT_FALSE(is_path_text(std::string(kMaxPathLength + 1, 'a')));
}

TEST(NormalizeCapability, StripsPrefixAndUppercases) {
  EXPECT_EQ(normalize_capability("cap_net_raw"), "NET_RAW");
  EXPECT_EQ(normalize_capability("CAP_CHOWN"), "CHOWN");
  EXPECT_EQ(normalize_capability("setuid"), "SETUID");
  EXPECT_EQ(normalize_capability("all"), "ALL");
  EXPECT_EQ(normalize_capability("CHECKPOINT_RESTORE"), "CHECKPOINT_RESTORE");
  EXPECT_EQ(normalize_capability("NET_RAWR"), std::nullopt);
  EXPECT_EQ(normalize_capability("CAP_"), std::nullopt);
  EXPECT_EQ(normalize_capability(""), std::nullopt);
}

TEST(IsEscapeProneCapability, FlagsSysAdminButNotChown) {
  EXPECT_TRUE(is_escape_prone_capability("SYS_ADMIN"));
  EXPECT_TRUE(is_escape_prone_capability("ALL"));
  EXPECT_FALSE(is_escape_prone_capability("CHOWN"));
}

TEST(KeyFingerprint, AcceptsWhatSshKeygenPrints) {
  EXPECT_TRUE(is_sha256_key_fingerprint("SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s"));
  EXPECT_TRUE(is_sha256_key_fingerprint("SHA256:+/+/+/+/+/+/+/+/+/+/+/+/+/+/+/+/+/+/+/+/+/A"));
}

TEST(KeyFingerprint, RefusesOtherFormsAndImpossibleDigests) {
  EXPECT_FALSE(is_sha256_key_fingerprint(""));
  EXPECT_FALSE(is_sha256_key_fingerprint("uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s"));
  EXPECT_FALSE(is_sha256_key_fingerprint("MD5:16:27:ac:a5:76:28:2d:36:63:1b:56:4d:eb:df:a6:48"));
  EXPECT_FALSE(is_sha256_key_fingerprint("SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s="));
  EXPECT_FALSE(is_sha256_key_fingerprint("SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2"));
  // The last character carries only 4 bits of the digest: 't' would need 6.
  EXPECT_FALSE(is_sha256_key_fingerprint("SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2t"));
  EXPECT_FALSE(is_sha256_key_fingerprint("SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD-s"));
}

}  // namespace
}  // namespace hermes::config
