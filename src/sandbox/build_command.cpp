#include "sandbox/build_command.hpp"

#include "common/unique_fd.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <deque>

namespace hermes::sandbox {
namespace {

constexpr std::size_t kMaxLine = 4096;
constexpr std::size_t kTailLines = 15;

std::atomic<bool> g_interrupted{false};

void note_interrupt(int) { g_interrupted.store(true); }

struct SpawnSetup {
  posix_spawn_file_actions_t actions;
  posix_spawnattr_t attributes;
  SpawnSetup() {
    posix_spawn_file_actions_init(&actions);
    posix_spawnattr_init(&attributes);
  }
  ~SpawnSetup() {
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attributes);
  }
  SpawnSetup(const SpawnSetup&) = delete;
  SpawnSetup& operator=(const SpawnSetup&) = delete;
};

// Splits the child's output into lines for the callback and keeps the last few for errors.
class LineSplitter {
 public:
  explicit LineSplitter(const std::function<void(std::string_view)>& on_line) : on_line_(on_line) {}

  void feed(std::string_view bytes) {
    for (char c : bytes) {
      if (c == '\n' || c == '\r') {
        emit();
      } else if (partial_.size() < kMaxLine) {
        partial_ += c;
      }
    }
  }
  void finish() { emit(); }

  std::string tail() const {
    std::string out;
    for (const auto& line : tail_) out += "\n  | " + line;
    return out;
  }

 private:
  void emit() {
    if (partial_.empty()) return;
    if (on_line_) on_line_(partial_);
    tail_.push_back(std::move(partial_));
    if (tail_.size() > kTailLines) tail_.pop_front();
    partial_.clear();
  }

  const std::function<void(std::string_view)>& on_line_;
  std::string partial_;
  std::deque<std::string> tail_;
};

int wait_for(pid_t pid) {
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return status;
}

std::vector<std::string> environment_with(const std::vector<std::string>& extra) {
  std::vector<std::string> env;
  for (char** entry = environ; entry && *entry; ++entry) env.emplace_back(*entry);
  for (const auto& item : extra) env.push_back(item);
  return env;
}

std::vector<char*> pointers(std::vector<std::string>& items) {
  std::vector<char*> out;
  for (auto& item : items) out.push_back(item.data());
  out.push_back(nullptr);
  return out;
}

}  // namespace

BuildInterruptGuard::BuildInterruptGuard() {
  struct sigaction action{};
  action.sa_handler = note_interrupt;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
}

BuildInterruptGuard::~BuildInterruptGuard() {
  signal(SIGINT, SIG_DFL);
  signal(SIGTERM, SIG_DFL);
}

bool build_interrupted() { return g_interrupted.load(); }

Result<void> run_build_command(const BuildCommand& command) {
  if (command.argv.empty()) return fail("no program to run");
  const std::string& program = command.argv.front();
  if (build_interrupted()) return fail("interrupted before " + program + " started");
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return fail("pipe: " + std::string(std::strerror(errno)), errno);
  UniqueFd read_end(fds[0]);
  UniqueFd write_end(fds[1]);

  SpawnSetup spawn;
  posix_spawn_file_actions_addopen(&spawn.actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&spawn.actions, write_end.get(), STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&spawn.actions, write_end.get(), STDERR_FILENO);
  // Its own process group: a terminal's Ctrl-C reaches Hermes only, which then ends the whole
  // group (debootstrap's and apt's children included) and cleans up.
  posix_spawnattr_setflags(&spawn.attributes, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF);
  posix_spawnattr_setpgroup(&spawn.attributes, 0);
  sigset_t defaults;
  sigemptyset(&defaults);
  sigaddset(&defaults, SIGINT);
  sigaddset(&defaults, SIGTERM);
  sigaddset(&defaults, SIGPIPE);
  posix_spawnattr_setsigdefault(&spawn.attributes, &defaults);

  auto args = command.argv;
  auto env = environment_with(command.extra_env);
  auto argv = pointers(args);
  auto envp = pointers(env);
  pid_t pid = 0;
  const int rc = posix_spawnp(&pid, program.c_str(), &spawn.actions, &spawn.attributes, argv.data(), envp.data());
  if (rc != 0) return fail("cannot run " + program + ": " + std::strerror(rc), rc);
  write_end.reset();  // EOF arrives when the child (and every grandchild) closed its copy

  LineSplitter lines(command.on_line);
  const auto deadline = std::chrono::steady_clock::now() + command.timeout;
  std::string stopped;  // why Hermes ended the child, if it did
  char buffer[16384];
  for (;;) {
    if (build_interrupted()) stopped = "interrupted";
    if (std::chrono::steady_clock::now() > deadline) {
      stopped = "timed out after " + std::to_string(command.timeout.count()) + " s";
    }
    if (!stopped.empty()) {
      kill(-pid, SIGKILL);
      break;
    }
    pollfd watch{read_end.get(), POLLIN, 0};
    const int ready = poll(&watch, 1, 250);
    if (ready < 0 && errno != EINTR) break;
    if (ready <= 0) continue;
    const ssize_t n = read(read_end.get(), buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    lines.feed(std::string_view(buffer, static_cast<std::size_t>(n)));
  }
  lines.finish();
  read_end.reset();
  const int status = wait_for(pid);
  if (!stopped.empty()) return fail(program + " " + stopped + lines.tail());
  if (WIFSIGNALED(status)) {
    return fail(program + " was killed by signal " + std::to_string(WTERMSIG(status)) + lines.tail());
  }
  if (WEXITSTATUS(status) != 0) {
    return fail(program + " exited with status " + std::to_string(WEXITSTATUS(status)) + lines.tail());
  }
  return {};
}

}  // namespace hermes::sandbox
