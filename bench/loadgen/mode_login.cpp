// login: N sequential logins, I ms apart start to start; each sample is the time from the
// accepted password to the shell's first output byte.
#include <thread>
#include <vector>

#include "failure_tally.hpp"
#include "modes.hpp"
#include "report.hpp"
#include "ssh_login.hpp"
#include "stopwatch.hpp"

namespace hermes::loadgen {

void run_login(const CliOptions& options) {
  options.allow_only(ssh_option_keys({"count", "interval-ms"}));
  const SshTarget target = ssh_target_from(options);
  const auto count = options.required_number("count", 1, 1'000'000);
  const std::chrono::milliseconds interval(options.number("interval-ms", 0, 0, 3'600'000));

  std::vector<double> samples_ms;
  FailureTally failures;
  const auto first_start = Clock::now();
  for (int64_t i = 0; i < count; ++i) {
    std::this_thread::sleep_until(first_start + i * interval);
    const auto deadline = Clock::now() + std::chrono::milliseconds(target.timeout_ms);
    auto shell = open_shell(target, deadline);
    if (!shell) {
      failures.add(shell.error().message);
      continue;
    }
    samples_ms.push_back(rounded_ms(shell->auth_to_first_byte_ms));
    leave_shell(*shell);
  }
  failures.summarise();

  Json report{{"mode", "login"}, {"count", samples_ms.size()}, {"failed", failures.count()}};
  add_latency_summary(report, samples_ms, {50, 90, 99});
  report["samples_ms"] = samples_ms;
  print_report(report);
}

}  // namespace hermes::loadgen
