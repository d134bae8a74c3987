#include <gtest/gtest.h>

#include "sandbox/docker_client.hpp"

namespace hermes::sandbox {
namespace {

TEST(DockerEndpoint, PlainSocketPath) {
  const auto endpoint = DockerEndpoint::from_config("/run/docker.sock", std::nullopt);
  ASSERT_TRUE(endpoint) << endpoint.error().message;
  EXPECT_EQ(endpoint->unix_socket, "/run/docker.sock");
  EXPECT_FALSE(endpoint->tcp_host);
  EXPECT_EQ(endpoint->describe(), "unix:///run/docker.sock");
}

TEST(DockerEndpoint, UnixUrlInSocketPath) {
  const auto endpoint = DockerEndpoint::from_config("unix:///var/run/docker.sock", std::nullopt);
  ASSERT_TRUE(endpoint) << endpoint.error().message;
  EXPECT_EQ(endpoint->unix_socket, "/var/run/docker.sock");
}

TEST(DockerEndpoint, BaseUrlWinsOverSocketPath) {
  const auto endpoint = DockerEndpoint::from_config("/var/run/docker.sock", "tcp://127.0.0.1:2375");
  ASSERT_TRUE(endpoint) << endpoint.error().message;
  ASSERT_TRUE(endpoint->tcp_host);
  EXPECT_EQ(*endpoint->tcp_host, "127.0.0.1");
  EXPECT_EQ(endpoint->tcp_port, 2375);
  EXPECT_EQ(endpoint->describe(), "tcp://127.0.0.1:2375");
}

TEST(DockerEndpoint, UnixBaseUrl) {
  const auto endpoint = DockerEndpoint::from_config("/var/run/docker.sock", "unix:///tmp/d.sock");
  ASSERT_TRUE(endpoint) << endpoint.error().message;
  EXPECT_EQ(endpoint->unix_socket, "/tmp/d.sock");
  EXPECT_FALSE(endpoint->tcp_host);
}

TEST(DockerEndpoint, EmptyBaseUrlCountsAsUnset) {
  const auto endpoint = DockerEndpoint::from_config("/a.sock", std::string());
  ASSERT_TRUE(endpoint) << endpoint.error().message;
  EXPECT_EQ(endpoint->unix_socket, "/a.sock");
}

TEST(DockerEndpoint, TcpHostNameAndTrailingSlash) {
  const auto endpoint = DockerEndpoint::from_config("", "tcp://docker.local:2376/");
  ASSERT_TRUE(endpoint) << endpoint.error().message;
  EXPECT_EQ(*endpoint->tcp_host, "docker.local");
  EXPECT_EQ(endpoint->tcp_port, 2376);
}

TEST(DockerEndpoint, TcpIpv6InBrackets) {
  const auto endpoint = DockerEndpoint::from_config("", "tcp://[::1]:2375");
  ASSERT_TRUE(endpoint) << endpoint.error().message;
  EXPECT_EQ(*endpoint->tcp_host, "::1");
  EXPECT_EQ(endpoint->tcp_port, 2375);
  EXPECT_EQ(endpoint->describe(), "tcp://[::1]:2375");
}

TEST(DockerEndpoint, PortLimits) {
  EXPECT_TRUE(DockerEndpoint::from_config("", "tcp://h:1"));
  EXPECT_TRUE(DockerEndpoint::from_config("", "tcp://h:65535"));
}

struct BadValue {
  const char* socket_path;
  const char* base_url;  // nullptr: unset
  const char* expected_in_message;
};

class DockerEndpointRejects : public ::testing::TestWithParam<BadValue> {};

TEST_P(DockerEndpointRejects, WithMessageNamingTheValue) {
  const auto& bad = GetParam();
  const std::optional<std::string> base_url =
      bad.base_url ? std::optional<std::string>(bad.base_url) : std::nullopt;
  const auto endpoint = DockerEndpoint::from_config(bad.socket_path, base_url);
  ASSERT_FALSE(endpoint) << "accepted " << bad.socket_path << " / " << (bad.base_url ? bad.base_url : "-");
  EXPECT_NE(endpoint.error().message.find(bad.expected_in_message), std::string::npos)
      << endpoint.error().message;
}

INSTANTIATE_TEST_SUITE_P(
    BadValues, DockerEndpointRejects,
    ::testing::Values(BadValue{"", "tcp://host", "has no port"},
                      BadValue{"", "tcp://host:", "port from 1 to 65535"},
                      BadValue{"", "tcp://host:0", "port from 1 to 65535"},
                      BadValue{"", "tcp://host:70000", "port from 1 to 65535"},
                      BadValue{"", "tcp://host:-1", "port from 1 to 65535"},
                      BadValue{"", "tcp://host:12ab", "port from 1 to 65535"},
                      BadValue{"", "tcp://:2375", "no valid host"},
                      BadValue{"", "tcp://a/b:2375", "no valid host"},
                      BadValue{"", "tcp://[::1]2375", "tcp://[ipv6]:port"},
                      BadValue{"", "https://host:2376", "unsupported scheme"},
                      BadValue{"", "http://host:2375", "unsupported scheme"},
                      BadValue{"", "host:2375", "must start with tcp:// or unix://"},
                      BadValue{"", "unix://relative.sock", "absolute path"},
                      BadValue{"", "unix://", "absolute path"},
                      BadValue{"docker.sock", nullptr, "absolute path"},
                      BadValue{"", nullptr, "absolute path"},
                      BadValue{"ssh://me@host", nullptr, "unsupported scheme"},
                      BadValue{"/tmp/a\nb.sock", nullptr, "control characters"}));

TEST(DockerEndpoint, RejectsSocketPathLongerThanSunPath) {
  const std::string long_path = "/" + std::string(200, 'a');
  const auto endpoint = DockerEndpoint::from_config(long_path, std::nullopt);
  ASSERT_FALSE(endpoint);
  EXPECT_NE(endpoint.error().message.find("longer than"), std::string::npos);
}

}  // namespace
}  // namespace hermes::sandbox
