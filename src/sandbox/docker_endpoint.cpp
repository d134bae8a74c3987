// Where the Docker engine listens, from the config's docker.socket_path / docker.base_url.
#include <charconv>
#include <string_view>
#include <sys/un.h>

#include "sandbox/docker_client.hpp"

namespace hermes::sandbox {
namespace {

constexpr std::string_view kTcpScheme = "tcp://";
constexpr std::string_view kUnixScheme = "unix://";

// sockaddr_un::sun_path holds the path and its terminating NUL; a longer path cannot be
// connected to at all, so it is refused here rather than at the first request.
constexpr std::size_t kMaxUnixPath = sizeof(sockaddr_un{}.sun_path) - 1;

bool has_control_bytes(std::string_view text) {
  for (char c : text) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) return true;
  }
  return false;
}

Result<DockerEndpoint> unix_endpoint(std::string_view path, std::string_view original) {
  if (path.empty() || path.front() != '/') {
    return fail("docker socket '" + std::string(original) + "' must be an absolute path");
  }
  if (path.size() > kMaxUnixPath) {
    return fail("docker socket '" + std::string(original) + "' is longer than the " +
                std::to_string(kMaxUnixPath) + " bytes a Unix socket path may have");
  }
  DockerEndpoint endpoint;
  endpoint.unix_socket = std::string(path);
  return endpoint;
}

Result<uint16_t> parse_port(std::string_view text, std::string_view original) {
  unsigned value = 0;
  const auto* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc() || ptr != end || value == 0 || value > 65535) {
    return fail("docker.base_url '" + std::string(original) + "' needs a port from 1 to 65535");
  }
  return static_cast<uint16_t>(value);
}

Result<DockerEndpoint> tcp_endpoint(std::string_view authority, std::string_view original) {
  if (!authority.empty() && authority.back() == '/') authority.remove_suffix(1);
  std::string_view host;
  std::string_view port;
  if (authority.starts_with('[')) {  // [IPv6]:port
    const auto close = authority.find(']');
    if (close == std::string_view::npos || close + 1 >= authority.size() ||
        authority[close + 1] != ':') {
      return fail("docker.base_url '" + std::string(original) + "' must look like tcp://[ipv6]:port");
    }
    host = authority.substr(1, close - 1);
    port = authority.substr(close + 2);
  } else {
    const auto colon = authority.rfind(':');
    if (colon == std::string_view::npos) {
      return fail("docker.base_url '" + std::string(original) + "' has no port (tcp://host:port)");
    }
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
  }
  if (host.empty() || host.find_first_of("/?#@[] ") != std::string_view::npos) {
    return fail("docker.base_url '" + std::string(original) + "' has no valid host (tcp://host:port)");
  }
  auto parsed_port = parse_port(port, original);
  if (!parsed_port) return std::unexpected(parsed_port.error());
  DockerEndpoint endpoint;
  endpoint.tcp_host = std::string(host);
  endpoint.tcp_port = *parsed_port;
  return endpoint;
}

}  // namespace

Result<DockerEndpoint> DockerEndpoint::from_config(const std::string& socket_path,
                                                   const std::optional<std::string>& base_url) {
  // base_url wins over socket_path when it is set (config.hpp); an empty one counts as unset.
  const bool use_base_url = base_url.has_value() && !base_url->empty();
  const std::string_view value = use_base_url ? std::string_view(*base_url) : socket_path;
  if (has_control_bytes(value)) {
    return fail(std::string(use_base_url ? "docker.base_url" : "docker.socket_path") +
                " contains control characters");
  }
  if (value.starts_with(kTcpScheme)) return tcp_endpoint(value.substr(kTcpScheme.size()), value);
  if (value.starts_with(kUnixScheme)) return unix_endpoint(value.substr(kUnixScheme.size()), value);
  if (value.find("://") != std::string_view::npos) {
    return fail("docker endpoint '" + std::string(value) +
                "' has an unsupported scheme (use tcp://host:port, unix:///path or a socket path)");
  }
  if (use_base_url) {
    return fail("docker.base_url '" + std::string(value) + "' must start with tcp:// or unix://");
  }
  return unix_endpoint(value, value);
}

std::string DockerEndpoint::describe() const {
  if (!tcp_host) return "unix://" + unix_socket;
  const bool ipv6 = tcp_host->find(':') != std::string::npos;
  return "tcp://" + (ipv6 ? "[" + *tcp_host + "]" : *tcp_host) + ":" + std::to_string(tcp_port);
}

}  // namespace hermes::sandbox
