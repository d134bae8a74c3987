#include "sandbox/program_output.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>

namespace hermes::sandbox {
namespace {

struct FdCloser {
  void operator()(int* fd) const {
    if (*fd >= 0) close(*fd);
    delete fd;
  }
};
using UniqueFd = std::unique_ptr<int, FdCloser>;

struct SpawnActions {
  posix_spawn_file_actions_t actions;
  SpawnActions() { posix_spawn_file_actions_init(&actions); }
  ~SpawnActions() { posix_spawn_file_actions_destroy(&actions); }
  SpawnActions(const SpawnActions&) = delete;
  SpawnActions& operator=(const SpawnActions&) = delete;
};

int wait_for(pid_t pid) {
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return status;
}

}  // namespace

Result<std::string> program_output(const std::vector<std::string>& argv, std::size_t max_bytes) {
  if (argv.empty()) return fail("no program to run");
  const std::string& program = argv.front();
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return fail("pipe: " + std::string(std::strerror(errno)), errno);
  UniqueFd read_end(new int(fds[0]));
  UniqueFd write_end(new int(fds[1]));

  SpawnActions spawn;
  posix_spawn_file_actions_adddup2(&spawn.actions, *write_end, STDOUT_FILENO);
  posix_spawn_file_actions_addopen(&spawn.actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = 0;
  const int rc = posix_spawn(&pid, program.c_str(), &spawn.actions, nullptr, args.data(), environ);
  if (rc != 0) return fail("cannot run " + program + ": " + std::strerror(rc), rc);
  write_end.reset();  // so EOF arrives when the child exits

  std::string out;
  bool too_much = false;
  char buffer[8192];
  for (;;) {
    const ssize_t n = read(*read_end, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    if (out.size() + static_cast<std::size_t>(n) > max_bytes) {
      too_much = true;
      break;
    }
    out.append(buffer, static_cast<std::size_t>(n));
  }
  read_end.reset();  // a child still writing gets EPIPE instead of blocking forever
  const int status = wait_for(pid);
  if (too_much) return fail(program + " printed more than " + std::to_string(max_bytes) + " bytes");
  if (!WIFEXITED(status)) return fail(program + " was killed by a signal");
  if (WEXITSTATUS(status) != 0) {
    return fail(program + " exited with status " + std::to_string(WEXITSTATUS(status)));
  }
  return out;
}

}  // namespace hermes::sandbox
