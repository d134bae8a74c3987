// throughput: one exec of `head -c B /dev/zero` through an SSH session, read to EOF.
#include <vector>

#include "channel_io.hpp"
#include "modes.hpp"
#include "report.hpp"
#include "ssh_login.hpp"
#include "stopwatch.hpp"

namespace hermes::loadgen {

void run_throughput(const CliOptions& options) {
  options.allow_only(ssh_option_keys({"bytes"}));
  const SshTarget target = ssh_target_from(options);
  const auto bytes = options.required_number("bytes", 1, int64_t{1} << 40);

  uint64_t received = 0;
  double seconds = 0;
  [&] {
    auto login = log_in(target);
    if (!login) return progress("throughput: " + login.error().message);
    auto channel = SshChannel::open_session(login->session);
    if (!channel) return progress("throughput: " + channel.error().message);
    const std::string command = "head -c " + std::to_string(bytes) + " /dev/zero";
    const auto started = Clock::now();
    if (ssh_channel_request_exec(channel->get(), command.c_str()) != SSH_OK) {
      return progress("throughput: exec request: " + login->session.last_error());
    }
    std::vector<char> buffer(256 * 1024);
    for (;;) {
      // The deadline is per read: a slow but moving transfer is measured, a stalled one ends.
      const auto deadline = Clock::now() + std::chrono::milliseconds(target.timeout_ms);
      ChannelRead read = read_output(channel->get(), deadline, buffer);
      if (read.status != ReadStatus::data) {
        if (read.status != ReadStatus::eof) progress("throughput: transfer stopped before EOF");
        break;
      }
      received += read.size;
    }
    seconds = seconds_since(started);
  }();
  if (received != static_cast<uint64_t>(bytes)) {
    progress("throughput: received " + std::to_string(received) + " of " + std::to_string(bytes) + " bytes");
  }

  print_report(throughput_report("throughput", received, seconds));
}

}  // namespace hermes::loadgen
