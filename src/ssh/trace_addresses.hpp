#pragma once
// libssh 0.10's packet trace (the source of the client's KEXINIT, see kex_capture.hpp) knows
// only IPv4: on its first packet it asks the session's socket for its two addresses with
// getsockname/getpeername into `struct sockaddr_in` buffers, and refuses to write anything when
// the family is not AF_INET. The addresses only fill a fake IPv4/TCP header in the trace.
//
// So that IPv6 and dual-stack listeners get a trace too, Hermes defines getsockname and
// getpeername itself (an executable's definitions win over libc's for every caller, libssh
// included; the next definition, libc's or a sanitizer's, is reached with dlsym(RTLD_NEXT)).
// They differ from the real calls in one narrow case only: on the thread inside an
// Ipv4TraceScope, for that scope's socket, when the caller's buffer can hold just a
// sockaddr_in (as libssh's can) and the socket is IPv6, they answer with `ipv4_view` of the
// real address. Every other call (Asio's, other sockets, other threads, other buffer sizes)
// goes to the real function untouched; what that costs is one thread-local comparison.
//
// Why this rather than something else: libssh 0.10 has no other hook to the client's KEXINIT
// or to the trace's addresses, and neither patching nor rebuilding libssh is an option.
#include <netinet/in.h>
#include <sys/socket.h>

#include <optional>

namespace hermes::ssh {

// The IPv4 address libssh's trace header can carry for `address` (`length` bytes of it):
// IPv4 as it is; IPv4-mapped IPv6 (a dual-stack listener's IPv4 client) as that IPv4
// address; any other IPv6 address as 0.0.0.0. The port is always kept: it is what tells the
// client's packets from the server's in the trace (pcap_packets.hpp). Nothing for other
// families or a length too short for the family.
std::optional<sockaddr_in> ipv4_view(const sockaddr_storage& address, socklen_t length);

// While alive, getsockname/getpeername on `socket_fd` called from this thread with a
// sockaddr_in-sized buffer answer `ipv4_view` of the real address. Wrap the libssh calls
// that may write the first trace packet (key exchange). Scopes nest; the innermost wins.
class Ipv4TraceScope {
 public:
  explicit Ipv4TraceScope(int socket_fd);
  ~Ipv4TraceScope();
  Ipv4TraceScope(const Ipv4TraceScope&) = delete;
  Ipv4TraceScope& operator=(const Ipv4TraceScope&) = delete;

 private:
  int previous_fd_;
};

}  // namespace hermes::ssh
