#include "channel_io.hpp"

#include <array>

namespace hermes::loadgen {

ChannelRead read_output(ssh_channel channel, Clock::time_point deadline, std::span<char> buffer) {
  for (;;) {
    const int wait_ms = ms_left(deadline);
    const int got = ssh_channel_read_timeout(channel, buffer.data(), static_cast<uint32_t>(buffer.size()), 0, wait_ms);
    if (got > 0) return {ReadStatus::data, static_cast<std::size_t>(got)};
    if (got == SSH_ERROR) return {ReadStatus::error};
    // 0 means EOF or an expired wait; SSH_AGAIN an expired wait.
    if (ssh_channel_is_eof(channel) || ssh_channel_is_closed(channel)) return {ReadStatus::eof};
    if (wait_ms == 0 || Clock::now() >= deadline) return {ReadStatus::timeout};
  }
}

bool discard_pending_output(ssh_channel channel) {
  char buffer[4096];
  for (;;) {
    const int got = ssh_channel_read_nonblocking(channel, buffer, sizeof buffer, 0);
    if (got == SSH_ERROR) return false;
    if (got <= 0) return !ssh_channel_is_eof(channel) && !ssh_channel_is_closed(channel);
  }
}

ReadStatus wait_for_byte(ssh_channel channel, char wanted, Clock::time_point deadline) {
  std::array<char, 4096> buffer;
  for (;;) {
    ChannelRead read = read_output(channel, deadline, buffer);
    if (read.status != ReadStatus::data) return read.status;
    if (std::string_view(buffer.data(), read.size).find(wanted) != std::string_view::npos) return ReadStatus::data;
  }
}

bool write_input(ssh_channel channel, std::string_view bytes) {
  while (!bytes.empty()) {
    const int sent = ssh_channel_write(channel, bytes.data(), static_cast<uint32_t>(bytes.size()));
    if (sent <= 0) return false;
    bytes.remove_prefix(static_cast<std::size_t>(sent));
  }
  return true;
}

}  // namespace hermes::loadgen
