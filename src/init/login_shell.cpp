#include "init/login_shell.hpp"

#include <grp.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace hermes::init {
namespace {

sigset_t supervisor_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGCHLD);
  sigaddset(&set, SIGTERM);
  return set;
}

// Never returns. Runs in the forked child only.
[[noreturn]] void become_login_shell(const Account& account, const std::vector<std::string>& env) {
  // Foreground process group of its own, so ^C/^Z go to the shell's jobs and never to PID 1.
  // tcsetpgrp from a background group raises SIGTTOU unless it is ignored.
  setpgid(0, 0);
  signal(SIGTTOU, SIG_IGN);
  tcsetpgrp(STDIN_FILENO, getpid());

  // Whatever PID 1 set up must not leak into the shell.
  for (int sig = 1; sig < NSIG; ++sig) {
    if (sig != SIGKILL && sig != SIGSTOP) signal(sig, SIG_DFL);
  }
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);

  if (account.uid != 0 || account.gid != 0) {
    const gid_t gid = account.gid;
    // Order matters: groups and gid while still root, uid last. No login if any step fails.
    if (setgroups(1, &gid) != 0 || setgid(gid) != 0 || setuid(account.uid) != 0) {
      std::fprintf(stderr, "login: cannot set user id: %s\r\n", std::strerror(errno));
      _exit(1);
    }
  }
  if (chdir(account.home.c_str()) != 0 && chdir("/") != 0) {
    // Even "/" failing leaves the shell usable; it starts wherever PID 1 was.
  }

  std::string shell = account.shell;
  if (shell.empty() || access(shell.c_str(), X_OK) != 0) shell = "/bin/sh";
  const std::size_t slash = shell.rfind('/');
  // A leading '-' in argv[0] is how login tells a shell it is a login shell (reads /etc/profile).
  const std::string argv0 = "-" + (slash == std::string::npos ? shell : shell.substr(slash + 1));
  std::vector<char*> argv{const_cast<char*>(argv0.c_str()), nullptr};
  std::vector<char*> envp;
  for (const auto& entry : env) envp.push_back(const_cast<char*>(entry.c_str()));
  envp.push_back(nullptr);
  execve(shell.c_str(), argv.data(), envp.data());
  std::fprintf(stderr, "Cannot execute %s: %s\r\n", shell.c_str(), std::strerror(errno));
  _exit(1);
}

int exit_code_of(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return 1;
}

}  // namespace

void block_supervisor_signals() {
  const sigset_t set = supervisor_signals();
  sigprocmask(SIG_BLOCK, &set, nullptr);
}

pid_t spawn_login_shell(const Account& account, const std::vector<std::string>& env) {
  const pid_t pid = fork();
  if (pid == 0) become_login_shell(account, env);
  // Also from the parent: whichever runs first, the group exists before anyone signals it.
  if (pid > 0) setpgid(pid, pid);
  return pid;
}

int supervise(pid_t child, OnTerm on_term) {
  const sigset_t set = supervisor_signals();
  for (;;) {
    siginfo_t info{};
    if (sigwaitinfo(&set, &info) < 0) continue;  // EINTR from a stray handled signal
    if (info.si_signo == SIGTERM) {
      if (on_term == OnTerm::forward) {
        kill(child, SIGTERM);
      } else {
        kill(-child, SIGHUP);   // as a real hang-up would: shells save history and exit
        kill(-child, SIGCONT);  // a stopped job would otherwise never see the SIGHUP
      }
      return 128 + SIGTERM;
    }
    // SIGCHLD: signals coalesce, so reap everything that is ready.
    for (;;) {
      int status = 0;
      const pid_t pid = waitpid(-1, &status, WNOHANG);
      if (pid <= 0) break;
      if (pid == child) return exit_code_of(status);
    }
  }
}

}  // namespace hermes::init
