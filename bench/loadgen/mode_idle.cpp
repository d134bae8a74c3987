// idle: N connections through key exchange (never authenticated), held until stdin ends, so
// the runner can read the server's memory while they are open.
#include <iostream>
#include <mutex>
#include <optional>
#include <vector>

#include "failure_tally.hpp"
#include "modes.hpp"
#include "parallel.hpp"
#include "report.hpp"
#include "stopwatch.hpp"

namespace hermes::loadgen {

namespace {

void wait_for_stdin_eof() {
  char buffer[256];
  while (std::cin.read(buffer, sizeof buffer) || std::cin.gcount() > 0) {
  }
}

}  // namespace

void run_idle(const CliOptions& options) {
  options.allow_only(ssh_option_keys({"connections", "concurrency"}));
  const SshTarget target = ssh_target_from(options);
  const auto connections = static_cast<std::size_t>(options.required_number("connections", 1, 1'000'000));
  const auto concurrency = static_cast<std::size_t>(options.number("concurrency", 16, 1, 10'000));

  // Each slot is written by the one job that owns its index.
  std::vector<std::optional<SshSession>> held(connections);
  FailureTally failures;
  const auto started = Clock::now();
  run_concurrently(connections, concurrency, [&](std::size_t index) {
    auto session = SshSession::connect(target);
    if (!session) return failures.add(session.error().message);
    held[index].emplace(std::move(*session));
  });
  const double wall_s = seconds_since(started);
  failures.summarise();
  const std::size_t open = connections - failures.count();

  Json report{{"mode", "idle"}, {"open", open}, {"failed", failures.count()}, {"wall_s", rounded_ms(wall_s)}};
  print_report(report);
  progress("holding " + std::to_string(open) + " connections until stdin ends");
  wait_for_stdin_eof();
  held.clear();  // disconnects them all
}

}  // namespace hermes::loadgen
