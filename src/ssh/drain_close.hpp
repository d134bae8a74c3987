#pragma once
// Closing a connection after our last words (an SSH disconnect message, sshd's answer to a
// non-SSH first line) so that the client gets to read them. Closing a TCP socket that still has
// unread input makes the kernel answer with a reset instead of a FIN, and a client that takes the
// reset before reading what we sent last never shows it ("Connection reset by peer" instead of
// "Received disconnect ...: Too many authentication failures"). sshd's socket is closed by its
// process exiting after the client has seen the message, so it rarely meets this.
#include <boost/asio/any_io_executor.hpp>
#include <chrono>
#include <cstddef>

#include "common/unique_fd.hpp"
#include "ssh/admission.hpp"

namespace hermes::ssh {

struct DrainLimits {
  std::chrono::milliseconds time{2000};
  std::size_t bytes = 256 * 1024;
};

// Shuts `socket` for writing (the peer sees our FIN after what was already queued), then reads
// and drops what the peer still sends until it closes, `limits.time` passes or `limits.bytes`
// were read, and only then closes the descriptor. `ticket` is held until then: a draining socket
// still counts as an open connection of its address.
void drain_then_close(boost::asio::any_io_executor executor, UniqueFd socket, Admission::Ticket ticket,
                      DrainLimits limits = DrainLimits());

}  // namespace hermes::ssh
