// bruteforce: connections that each do a key exchange and one wrong password, C at a time.
#include <atomic>

#include "failure_tally.hpp"
#include "modes.hpp"
#include "parallel.hpp"
#include "process_setup.hpp"
#include "report.hpp"
#include "stopwatch.hpp"

namespace hermes::loadgen {

void run_bruteforce(const CliOptions& options) {
  options.allow_only(ssh_option_keys({"connections", "concurrency"}));
  SshTarget target = ssh_target_from(options);
  target.password = options.text("password", "wrong");
  const auto connections = static_cast<std::size_t>(options.required_number("connections", 1, 10'000'000));
  const auto concurrency = static_cast<std::size_t>(options.number("concurrency", 16, 1, 10'000));

  std::atomic<std::size_t> completed{0};
  FailureTally failures;
  const double cpu_before = own_cpu_ms();
  const auto started = Clock::now();
  run_concurrently(connections, concurrency, [&](std::size_t) {
    auto session = SshSession::connect(target);
    if (!session) return failures.add(session.error().message);
    const int outcome = session->try_password(target.password);
    if (outcome == SSH_AUTH_DENIED) {
      ++completed;
    } else {
      failures.add("password attempt gave libssh code " + std::to_string(outcome) + " instead of denied: " +
                   session->last_error());
    }
  });
  const double wall_s = seconds_since(started);
  failures.summarise();

  Json report{{"mode", "bruteforce"},
              {"completed", completed.load()},
              {"failed", failures.count()},
              {"wall_s", rounded_ms(wall_s)},
              {"conn_per_s", rounded_ms(wall_s > 0 ? static_cast<double>(completed.load()) / wall_s : 0.0)},
              {"client_cpu_ms", rounded_ms(own_cpu_ms() - cpu_before)}};
  print_report(report);
}

}  // namespace hermes::loadgen
