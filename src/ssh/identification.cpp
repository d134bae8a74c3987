#include "ssh/identification.hpp"

#include <netinet/in.h>  // IPPROTO_TCP
#include <linux/tcp.h>  // tcp_info with tcpi_bytes_received (glibc's copy lacks it)
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <array>
#include <cerrno>

namespace hermes::ssh {

Identification judge_identification(std::string_view first_bytes) {
  static constexpr std::string_view kPrefix = "SSH-";
  const std::size_t compared = std::min(first_bytes.size(), kPrefix.size());
  if (first_bytes.substr(0, compared) == kPrefix.substr(0, compared)) return Identification::ssh;
  if (first_bytes.find('\n') != std::string_view::npos || first_bytes.size() >= kMaxIdentificationLine) {
    return Identification::not_ssh;
  }
  return Identification::not_ssh_yet;
}

std::optional<std::string> peek_first_bytes(int fd) {
  std::array<char, kMaxIdentificationLine> buffer;  // not zeroed: only the n bytes received are read
  const ssize_t n = ::recv(fd, buffer.data(), buffer.size(), MSG_PEEK | MSG_DONTWAIT);
  if (n > 0) return std::string(buffer.data(), static_cast<std::size_t>(n));
  if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) return std::string();
  return std::nullopt;
}

void consume_first_line(int fd, std::string_view first_bytes) {
  const std::size_t newline = first_bytes.find('\n');
  std::size_t remaining = newline == std::string_view::npos ? first_bytes.size() : newline + 1;
  std::array<char, 1024> sink{};
  while (remaining > 0) {
    const ssize_t n = ::recv(fd, sink.data(), std::min(remaining, sink.size()), MSG_DONTWAIT);
    if (n <= 0) return;
    remaining -= static_cast<std::size_t>(n);
  }
}

std::optional<unsigned long long> client_bytes_read(int fd) {
  tcp_info info{};
  socklen_t length = sizeof info;
  int queued = 0;
  if (::getsockopt(fd, IPPROTO_TCP, TCP_INFO, &info, &length) != 0 || ::ioctl(fd, FIONREAD, &queued) != 0) {
    return std::nullopt;
  }
  return info.tcpi_bytes_received - static_cast<unsigned long long>(queued);
}

bool client_bytes_consumed(int fd) {
  // Cannot tell: leave the connection to libssh, as before this check existed.
  const auto read = client_bytes_read(fd);
  return !read || *read > 0;
}

void send_plain(int fd, std::string_view text) {
  (void)::send(fd, text.data(), text.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
}

}  // namespace hermes::ssh
