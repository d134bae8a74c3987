// sessions: N interactive shells open at once (K logins in progress at a time), then every shell
// types for T seconds and the echo latency is measured.
#include <optional>
#include <thread>
#include <vector>

#include "echo_typist.hpp"
#include "failure_tally.hpp"
#include "modes.hpp"
#include "parallel.hpp"
#include "report.hpp"
#include "ssh_login.hpp"
#include "stopwatch.hpp"

namespace hermes::loadgen {

namespace {

// Between "all open" and the first key: time for every banner and prompt to arrive.
constexpr std::chrono::seconds kSettleTime{1};

}  // namespace

void run_sessions(const CliOptions& options) {
  options.allow_only(ssh_option_keys({"count", "open-concurrency", "type-seconds", "type-interval-ms"}));
  const SshTarget target = ssh_target_from(options);
  const auto count = static_cast<std::size_t>(options.required_number("count", 1, 100'000));
  const auto open_concurrency = static_cast<std::size_t>(options.number("open-concurrency", 8, 1, 10'000));
  const std::chrono::seconds type_time(options.number("type-seconds", 10, 0, 86'400));
  const std::chrono::milliseconds interval(options.number("type-interval-ms", 200, 1, 3'600'000));

  std::vector<std::optional<OpenShell>> shells(count);  // slot i written only by job i
  FailureTally failures;
  const auto started = Clock::now();
  run_concurrently(count, open_concurrency, [&](std::size_t index) {
    const auto deadline = Clock::now() + std::chrono::milliseconds(target.timeout_ms);
    auto shell = open_shell(target, deadline);
    if (!shell) return failures.add(shell.error().message);
    shells[index].emplace(std::move(*shell));
  });
  failures.summarise();
  const std::size_t open = count - failures.count();
  Json opened{{"mode", "sessions"}, {"phase", "open"}, {"open", open}, {"failed", failures.count()},
              {"wall_s", rounded_ms(seconds_since(started))}};
  print_report(opened);

  std::vector<EchoStats> stats(count);
  const auto typing_start = Clock::now() + kSettleTime;
  const auto typing_end = typing_start + type_time;
  {
    std::vector<std::jthread> typists;
    for (std::size_t i = 0; i < count; ++i) {
      if (!shells[i]) continue;
      // Staggered over one interval so the shells do not all type in the same millisecond.
      const auto first_key = typing_start + interval * static_cast<int64_t>(i) / static_cast<int64_t>(count);
      typists.emplace_back([&, i, first_key] {
        stats[i] = type_and_time_echoes(shells[i]->channel.get(), first_key, interval, typing_end);
      });
    }
  }  // typists join here

  std::vector<double> echoes_ms;
  std::size_t lost = 0;
  for (const EchoStats& one : stats) {
    echoes_ms.insert(echoes_ms.end(), one.echoes_ms.begin(), one.echoes_ms.end());
    lost += one.lost;
  }
  for (auto& shell : shells) {
    if (shell) leave_shell(*shell);
  }
  shells.clear();

  Json report{{"mode", "sessions"}, {"open", open}, {"failed", failures.count()}, {"echoes", echoes_ms.size()},
              {"lost", lost}};
  add_latency_summary(report, echoes_ms, {50, 99}, "echo_");
  print_report(report);
}

}  // namespace hermes::loadgen
