// hermes-loadgen: the client side of the benchmarks (bench/run.py drives it). Usage errors exit
// 2; a run that happened exits 0 whatever its failures (they are counted in the JSON).
#include <iostream>
#include <map>
#include <string>

#include "cli_options.hpp"
#include "modes.hpp"
#include "process_setup.hpp"
#include "ssh_handles.hpp"

namespace {

using ModeFunction = void (*)(const hermes::loadgen::CliOptions&);

const std::map<std::string, ModeFunction>& modes() {
  using namespace hermes::loadgen;
  static const std::map<std::string, ModeFunction> table{
      {"bruteforce", run_bruteforce}, {"idle", run_idle},
      {"login", run_login},           {"throughput", run_throughput},
      {"sessions", run_sessions},     {"burst", run_burst},
      {"exec-floor", run_exec_floor}, {"exec-throughput", run_exec_throughput},
  };
  return table;
}

int usage(const std::string& problem) {
  std::cerr << "hermes-loadgen: " << problem << "\nusage: hermes-loadgen MODE --option value ...\nmodes:";
  for (const auto& [name, function] : modes()) std::cerr << ' ' << name;
  std::cerr << "\n(see bench/loadgen/README.md)\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return usage("no mode given");
  auto mode = modes().find(argv[1]);
  if (mode == modes().end()) return usage(std::string("unknown mode '") + argv[1] + "'");
  try {
    const hermes::loadgen::CliOptions options(argc, argv, 2);
    hermes::loadgen::prepare_process();
    hermes::loadgen::LibsshRuntime libssh;
    mode->second(options);
  } catch (const hermes::loadgen::UsageError& error) {
    return usage(error.what());
  }
  return 0;
}
