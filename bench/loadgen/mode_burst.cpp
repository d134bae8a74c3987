// burst: R new sessions per second for S seconds on a fixed schedule, however long each takes;
// each is timed from the accepted password to the shell's first byte, then leaves.
#include <algorithm>
#include <mutex>
#include <thread>
#include <vector>

#include "failure_tally.hpp"
#include "modes.hpp"
#include "report.hpp"
#include "ssh_login.hpp"
#include "stopwatch.hpp"

namespace hermes::loadgen {

namespace {

constexpr std::chrono::seconds kSessionTimeout{60};

}  // namespace

void run_burst(const CliOptions& options) {
  options.allow_only(ssh_option_keys({"rate", "seconds"}));
  SshTarget target = ssh_target_from(options);
  target.timeout_ms = static_cast<int>(std::chrono::milliseconds(kSessionTimeout).count());
  const auto rate = options.required_number("rate", 1, 10'000);
  const auto seconds = options.required_number("seconds", 1, 86'400);
  const int64_t total = rate * seconds;

  std::mutex samples_mutex;
  std::vector<double> samples_ms;
  FailureTally failures;
  const auto first_start = Clock::now();
  {
    // One thread per session: a slow session must not delay the next start.
    std::vector<std::jthread> sessions;
    sessions.reserve(static_cast<std::size_t>(total));
    for (int64_t i = 0; i < total; ++i) {
      const auto start = first_start + std::chrono::microseconds(i * 1'000'000 / rate);
      std::this_thread::sleep_until(start);
      sessions.emplace_back([&, start] {
        const auto deadline = start + kSessionTimeout;
        auto shell = open_shell(target, deadline);
        if (!shell) return failures.add(shell.error().message);
        if (Clock::now() > deadline) return failures.add("session took longer than 60 s");
        leave_shell(*shell);
        std::lock_guard lock(samples_mutex);
        samples_ms.push_back(shell->auth_to_first_byte_ms);
      });
    }
  }  // all sessions join here
  failures.summarise();

  const auto waited_over_1s = std::count_if(samples_ms.begin(), samples_ms.end(), [](double ms) { return ms > 1000.0; });
  Json report{{"mode", "burst"},          {"started", total},
              {"completed", samples_ms.size()}, {"failed", failures.count()},
              {"waited_over_1s", waited_over_1s}};
  add_latency_summary(report, samples_ms, {50, 99});
  print_report(report);
}

}  // namespace hermes::loadgen
