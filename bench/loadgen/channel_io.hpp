#pragma once
// Reading and writing a channel's stdout with deadlines instead of libssh's bare return codes.
#include <libssh/libssh.h>

#include <span>
#include <string>
#include <string_view>

#include "stopwatch.hpp"

namespace hermes::loadgen {

enum class ReadStatus { data, timeout, eof, error };

struct ChannelRead {
  ReadStatus status;
  std::size_t size = 0;  // bytes placed at the start of the buffer (ReadStatus::data only)
};

// Waits until stdout data arrives (what is there, up to buffer.size(), is copied into
// `buffer`), the server sends EOF/close, or `deadline` passes. The caller owns the buffer so a
// long transfer reuses one instead of allocating per read.
ChannelRead read_output(ssh_channel channel, Clock::time_point deadline, std::span<char> buffer);

// Consumes whatever output is already here without waiting; false when the channel is gone.
bool discard_pending_output(ssh_channel channel);

// Reads until `wanted` is among the bytes read. ReadStatus::data means it was seen.
ReadStatus wait_for_byte(ssh_channel channel, char wanted, Clock::time_point deadline);

// Writes all of `bytes` (blocking while the server's window is closed); false on error.
bool write_input(ssh_channel channel, std::string_view bytes);

}  // namespace hermes::loadgen
