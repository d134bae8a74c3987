#pragma once
// The client's first line, judged as sshd 9.2p1 judges it before any SSH is spoken: a server
// accepts no line before "SSH-" (kex_exchange_identification), and answers one with
// "Invalid SSH identification string." and a close. libssh would close silently instead, so
// Hermes looks at the first bytes (MSG_PEEK: libssh still reads them when they are SSH) before
// handing the socket to libssh.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace hermes::ssh {

enum class Identification {
  ssh,            // starts with "SSH-" (or a piece of it, or nothing yet): libssh takes over
  not_ssh_yet,    // cannot be SSH, but its line is not complete: wait for the rest
  not_ssh,        // a complete line (or an over-long one) that is not SSH: answer and close
};

// sshd's longest identification line (SSH_MAX_BANNER_LEN).
inline constexpr std::size_t kMaxIdentificationLine = 8192;
inline constexpr std::string_view kInvalidIdentificationReply = "Invalid SSH identification string.\r\n";

// `first_bytes`: what the client has sent so far (at most kMaxIdentificationLine bytes).
Identification judge_identification(std::string_view first_bytes);

// Up to kMaxIdentificationLine bytes waiting on `fd`, without taking them ("" when none has
// arrived yet); nullopt when the client has closed or the socket failed.
std::optional<std::string> peek_first_bytes(int fd);
// Takes the client's first line (through its '\n', or kMaxIdentificationLine bytes) off `fd`,
// as sshd has read it, so that closing does not reset the connection over unread data.
void consume_first_line(int fd, std::string_view first_bytes);
// True when something has already read bytes the client sent on `fd` (libssh's first
// key-exchange call may read whatever arrived meanwhile): the first line can no longer be judged.
bool client_bytes_consumed(int fd);
// How many bytes the client sent on `fd` have been read off it (by libssh); nullopt when the
// kernel cannot say.
std::optional<unsigned long long> client_bytes_read(int fd);
// Best effort, never blocking: what fits in the socket buffer (a few dozen bytes always do).
void send_plain(int fd, std::string_view text);

}  // namespace hermes::ssh
