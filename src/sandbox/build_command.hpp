#pragma once
// Runs one step of an image build (debootstrap, chroot apt-get, tar) as a child process: no shell,
// its own process group, stdout and stderr merged and handed on line by line (lines cut at 4 KiB,
// nothing accumulated), a deadline, and SIGINT/SIGTERM to Hermes ending the child too, so an
// interrupted build still cleans up after itself. Blocking: for the CLI only.
#include <chrono>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"

namespace hermes::sandbox {

struct BuildCommand {
  std::vector<std::string> argv;            // argv[0] is looked up in PATH
  std::vector<std::string> extra_env;       // "NAME=value", added to Hermes's environment
  std::chrono::seconds timeout{600};
  std::function<void(std::string_view line)> on_line;  // may be empty
};

// Fails when the program cannot start, exits non-zero, is killed, runs past its timeout, or the
// build is interrupted; the error quotes the last lines it printed.
Result<void> run_build_command(const BuildCommand& command);

// While one exists, SIGINT and SIGTERM do not kill Hermes but mark the build as interrupted:
// the running command is killed and every later one refuses to start.
class BuildInterruptGuard {
 public:
  BuildInterruptGuard();
  ~BuildInterruptGuard();
  BuildInterruptGuard(const BuildInterruptGuard&) = delete;
  BuildInterruptGuard& operator=(const BuildInterruptGuard&) = delete;
};

bool build_interrupted();

}  // namespace hermes::sandbox
