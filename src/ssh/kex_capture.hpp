#pragma once
// Reaches the client's KEXINIT, which libssh 0.10 has no API for, through its packet trace:
// before ssh_bind_accept_fd the session's pcap output is pointed at an anonymous memory file
// (memfd); after each key-exchange step the trace is flushed (closed) and searched for the
// client's first binary packet. Once it is found, or after a bounded number of steps, the
// trace is detached from the session and the memory file closed. The trace holds cleartext
// packets, so it must never outlive the key exchange: it is closed at the end of the step in
// which the client's KEXINIT arrived, and a client cannot send anything encrypted before the
// server has answered that KEXINIT (see docs/security.md). libssh's trace writer knows only
// IPv4: on an IPv6 socket (also a dual-stack listener's IPv4 client) the libssh calls of the
// key exchange run inside an Ipv4TraceScope (trace_addresses.hpp).
#include <libssh/libssh.h>

#include <cstdint>
#include <memory>
#include <optional>

#include "ssh/client_kexinit.hpp"

namespace hermes::ssh {

class KexCapture {
 public:
  // Points `session`'s trace at a new memory file; null when that fails (the connection then
  // goes on without a kex event) or the socket is neither IPv4 nor IPv6.
  static std::unique_ptr<KexCapture> attach(ssh_session session, int socket_fd);
  ~KexCapture();
  KexCapture(const KexCapture&) = delete;
  KexCapture& operator=(const KexCapture&) = delete;

  struct Outcome {
    bool finished = false;                  // the trace is detached; drop this object
    std::optional<ClientKexInit> kexinit;  // set when the client's KEXINIT was found
  };
  // After a key-exchange step (or before the session is freed: pass `last` true).
  Outcome step(ssh_session session, std::uint16_t client_port, bool last);
  // Whether the memory file is still open (tests of the cleartext guarantee use this).
  bool open() const { return memfd_ >= 0; }
  // Whether libssh's calls for this session must run inside an Ipv4TraceScope for the trace
  // to be written (the socket is IPv6); false for IPv4, whose path is as it always was.
  bool needs_ipv4_scope() const { return ipv6_socket_; }

 private:
  struct PcapDeleter { void operator()(ssh_pcap_file p) const { ssh_pcap_file_free(p); } };
  KexCapture(int memfd, std::unique_ptr<ssh_pcap_file_struct, PcapDeleter> pcap, bool ipv6_socket);
  void detach(ssh_session session);
  bool reopen();

  int memfd_ = -1;
  std::unique_ptr<ssh_pcap_file_struct, PcapDeleter> pcap_;
  int steps_ = 0;
  bool ipv6_socket_ = false;
};

}  // namespace hermes::ssh
