#include "echo_typist.hpp"

#include <array>
#include <string_view>
#include <thread>

#include "channel_io.hpp"

namespace hermes::loadgen {

namespace {

// Well below 80 columns minus a prompt: the line editor never has to wrap or scroll.
constexpr int kKeysPerLine = 40;

// The text after the last newline of what the shell printed so far: its prompt.
std::string settle_until(ssh_channel channel, Clock::time_point until) {
  std::string last_line;
  std::array<char, 4096> buffer;
  for (;;) {
    ChannelRead read = read_output(channel, until, buffer);
    if (read.status != ReadStatus::data) return last_line;
    const std::string_view bytes(buffer.data(), read.size);
    auto newline = bytes.find_last_of('\n');
    if (newline == std::string_view::npos) {
      last_line += bytes;
    } else {
      last_line = bytes.substr(newline + 1);
    }
  }
}

std::string keys_not_in(const std::string& prompt) {
  std::string keys;
  for (char c = 'a'; c <= 'z'; ++c) {
    if (prompt.find(c) == std::string::npos) keys += c;
  }
  return keys.empty() ? std::string("z") : keys;
}

}  // namespace

EchoStats type_and_time_echoes(ssh_channel channel, Clock::time_point first_key, std::chrono::milliseconds interval,
                               Clock::time_point end) {
  EchoStats stats;
  const std::string keys = keys_not_in(settle_until(channel, first_key));
  int on_line = 0;
  std::size_t typed = 0;
  for (auto next = first_key; next < end; next += interval) {
    std::this_thread::sleep_until(next);
    if (!discard_pending_output(channel)) break;
    const char key = keys[typed++ % keys.size()];
    std::string input;
    if (on_line == kKeysPerLine) {
      input = "\x15";  // Ctrl-U, sent with the key: its redraw contains none of `keys`
      on_line = 0;
    }
    input += key;
    ++on_line;
    const auto written_at = Clock::now();
    if (!write_input(channel, input)) break;
    const ReadStatus echo = wait_for_byte(channel, key, written_at + kEchoTimeout);
    if (echo == ReadStatus::data) {
      stats.echoes_ms.push_back(ms_since(written_at));
    } else {
      ++stats.lost;
      if (echo != ReadStatus::timeout) break;  // the shell is gone
    }
    // A late echo pushes the schedule: skip the ticks that already passed rather than burst.
    while (next + interval < Clock::now()) next += interval;
  }
  return stats;
}

}  // namespace hermes::loadgen
