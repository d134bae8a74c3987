// exec-floor and exec-throughput: what a plain Docker exec costs, the floor and ceiling that
// Hermes's login latency and session throughput are compared with.
#include <optional>
#include <vector>

#include "docker_exec.hpp"
#include "failure_tally.hpp"
#include "modes.hpp"
#include "report.hpp"
#include "stopwatch.hpp"

namespace hermes::loadgen {

namespace asio = boost::asio;

namespace {

const std::vector<std::string> kExecKeys{"docker", "container"};

std::vector<std::string> exec_option_keys(const std::string& own) {
  auto keys = kExecKeys;
  keys.push_back(own);
  return keys;
}

// One exec of `command`: create, start, read stdout to EOF. `created_at` is taken before the
// create request, `started_at` before the start request; `first_byte_at` when stdout begins.
struct ExecTiming {
  Clock::time_point created_at;
  Clock::time_point started_at;
  std::optional<Clock::time_point> first_byte_at;
  Clock::time_point ended_at;
  uint64_t stdout_bytes = 0;
};

asio::awaitable<Result<ExecTiming>> timed_exec(sandbox::DockerClient& docker, std::string container,
                                               std::string command) {
  ExecTiming timing;
  timing.created_at = Clock::now();
  sandbox::Json spec = shell_exec_spec(command);
  auto exec_id = co_await docker.create_exec(container, spec);
  if (!exec_id) co_return std::unexpected(exec_id.error());
  timing.started_at = Clock::now();
  const bool tty = false;
  auto stream = co_await docker.start_exec(*exec_id, tty);
  if (!stream) co_return std::unexpected(stream.error());
  // A named std::function, not a lambda converted inside the co_await (GCC 12, see preamble).
  std::function<void(std::string_view)> note_first_byte = [&timing](std::string_view) {
    if (!timing.first_byte_at) timing.first_byte_at = Clock::now();
  };
  auto bytes = co_await read_exec_stdout(**stream, note_first_byte);
  timing.ended_at = Clock::now();
  (*stream)->close();
  if (!bytes) co_return std::unexpected(bytes.error());
  timing.stdout_bytes = *bytes;
  co_return timing;
}

void report_engine_failure(const Result<void>& outcome) {
  if (!outcome) progress(outcome.error().message);
}

}  // namespace

void run_exec_floor(const CliOptions& options) {
  options.allow_only(exec_option_keys("count"));
  const std::string url = options.text("docker", "unix:///var/run/docker.sock");
  const std::string container = options.required_text("container");
  const auto count = options.required_number("count", 1, 1'000'000);

  std::vector<double> samples_ms;
  FailureTally failures;
  EngineWork work = [&](sandbox::DockerClient& docker) -> asio::awaitable<void> {
    for (int64_t i = 0; i < count; ++i) {
      auto timing = co_await timed_exec(docker, container, "echo x");
      if (!timing) {
        failures.add(timing.error().message);
      } else if (!timing->first_byte_at) {
        failures.add("exec printed nothing");
      } else {
        samples_ms.push_back(ms_between(timing->created_at, *timing->first_byte_at));
      }
    }
  };
  report_engine_failure(run_with_docker(url, work));
  failures.summarise();

  Json report{{"mode", "exec-floor"},
              {"count", samples_ms.size()},
              {"failed", static_cast<std::size_t>(count) - samples_ms.size()}};
  add_latency_summary(report, samples_ms, {50, 99});
  print_report(report);
}

void run_exec_throughput(const CliOptions& options) {
  options.allow_only(exec_option_keys("bytes"));
  const std::string url = options.text("docker", "unix:///var/run/docker.sock");
  const std::string container = options.required_text("container");
  const auto bytes = options.required_number("bytes", 1, int64_t{1} << 40);

  uint64_t received = 0;
  double seconds = 0;
  EngineWork work = [&](sandbox::DockerClient& docker) -> asio::awaitable<void> {
    auto timing = co_await timed_exec(docker, container, "head -c " + std::to_string(bytes) + " /dev/zero");
    if (!timing) {
      progress("exec-throughput: " + timing.error().message);
      co_return;
    }
    received = timing->stdout_bytes;
    seconds = ms_between(timing->started_at, timing->ended_at) / 1000.0;
  };
  report_engine_failure(run_with_docker(url, work));
  if (received != static_cast<uint64_t>(bytes)) {
    progress("exec-throughput: received " + std::to_string(received) + " of " + std::to_string(bytes) + " bytes");
  }
  print_report(throughput_report("exec-throughput", received, seconds));
}

}  // namespace hermes::loadgen
