#include "ssh/trace_addresses.hpp"

#include <dlfcn.h>

#include <cerrno>
#include <cstring>
#include <utility>

namespace hermes::ssh {

namespace {
// The socket whose addresses this thread answers as IPv4; -1 outside every Ipv4TraceScope.
thread_local int t_scoped_fd = -1;

using SocketAddressCall = int (*)(int, sockaddr*, socklen_t*);

SocketAddressCall next_definition(const char* name) {
  // The definition after the executable's: libc's, or a sanitizer runtime's interceptor
  // (which then calls libc's), so sanitizer builds keep checking these calls.
  return reinterpret_cast<SocketAddressCall>(::dlsym(RTLD_NEXT, name));
}

int socket_address(SocketAddressCall real, int fd, sockaddr* address, socklen_t* length) {
  if (real == nullptr) {
    errno = ENOSYS;
    return -1;
  }
  // The only case that differs from the real call; libssh's trace passes exactly this size.
  const bool scoped = t_scoped_fd >= 0 && fd == t_scoped_fd && address != nullptr && length != nullptr &&
                      *length == sizeof(sockaddr_in);
  if (!scoped) return real(fd, address, length);
  // Asked into a sockaddr_in-sized buffer, the kernel would cut an IPv6 address short: read
  // it whole, then answer the view.
  sockaddr_storage full{};
  socklen_t full_length = sizeof(full);
  if (real(fd, reinterpret_cast<sockaddr*>(&full), &full_length) != 0) return -1;
  const std::optional<sockaddr_in> view = ipv4_view(full, full_length);
  if (!view) return real(fd, address, length);  // not an IP socket: the real answer
  std::memcpy(address, &*view, sizeof(*view));
  *length = sizeof(*view);
  return 0;
}
}  // namespace

std::optional<sockaddr_in> ipv4_view(const sockaddr_storage& address, socklen_t length) {
  if (address.ss_family == AF_INET && length >= sizeof(sockaddr_in)) {
    sockaddr_in v4{};
    std::memcpy(&v4, &address, sizeof(v4));
    return v4;
  }
  if (address.ss_family != AF_INET6 || length < sizeof(sockaddr_in6)) return std::nullopt;
  sockaddr_in6 v6{};
  std::memcpy(&v6, &address, sizeof(v6));
  sockaddr_in v4{};
  v4.sin_family = AF_INET;
  v4.sin_port = v6.sin6_port;
  v4.sin_addr.s_addr = htonl(INADDR_ANY);
  if (IN6_IS_ADDR_V4MAPPED(&v6.sin6_addr)) std::memcpy(&v4.sin_addr, &v6.sin6_addr.s6_addr[12], 4);
  return v4;
}

Ipv4TraceScope::Ipv4TraceScope(int socket_fd) : previous_fd_(std::exchange(t_scoped_fd, socket_fd)) {}

Ipv4TraceScope::~Ipv4TraceScope() { t_scoped_fd = previous_fd_; }

}  // namespace hermes::ssh

// Defined here, next to the scope that switches them, so that linking any user of the scope
// brings them in (a static library member is only linked when something uses it).
extern "C" int getsockname(int fd, sockaddr* __restrict address, socklen_t* __restrict length) noexcept {
  static const auto real = hermes::ssh::next_definition("getsockname");
  return hermes::ssh::socket_address(real, fd, address, length);
}

extern "C" int getpeername(int fd, sockaddr* __restrict address, socklen_t* __restrict length) noexcept {
  static const auto real = hermes::ssh::next_definition("getpeername");
  return hermes::ssh::socket_address(real, fd, address, length);
}
