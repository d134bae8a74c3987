// hermes-init: PID 1 of every Hermes target container, installed as /sbin/init.
//
// As PID 1 (no arguments) it removes what marks the container as Docker's, then starts the
// process tree of a booted server's sshd (src/init/session_leader.hpp): a listener that waits,
// silent, for the one session line Hermes writes to the container's TTY when an attacker logs
// in (common/session_line.hpp), and turns into that login: terminal modes and size, the user
// (created if needed), the banner, utmp/wtmp/lastlog, and a login shell. It prints nothing of
// its own, because its TTY is the attacker's terminal.
//
// `/sbin/init --account NAME`, run by Hermes through `docker exec` as root before an exec
// channel, resolves (creating if needed) the same account a login would, and prints it
// (common/account.hpp), so commands run as the logged-in user even before any shell.
//
// `/sbin/init --winsize ROWS COLS -- PROGRAM ARGS...` sizes the exec's terminal and becomes
// PROGRAM (init/winsize_launcher.hpp): how a pty command starts at the client's size on Engine
// API 1.41.
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <string>

#include "common/account.hpp"
#include "init/accounts.hpp"
#include "init/boot_cleanup.hpp"
#include "init/login_records.hpp"
#include "init/login_shell.hpp"
#include "init/process_title.hpp"
#include "init/session_leader.hpp"
#include "init/tmpfs_preserve.hpp"
#include "init/winsize_launcher.hpp"

namespace {

int print_account(const std::string& user) {
  using namespace hermes;
  AccountLine line{init::resolve_login_account(user), "/"};
  struct stat info {};
  if (stat(line.account.home.c_str(), &info) == 0 && S_ISDIR(info.st_mode)) line.cwd = line.account.home;
  // The login shell falls back the same way (login_shell.cpp); an exec of a missing shell would
  // show the engine's error instead of a shell's.
  if (line.account.shell.empty() || access(line.account.shell.c_str(), X_OK) != 0) line.account.shell = "/bin/sh";
  auto text = format_account_line(line);
  if (!text) {
    line.account = init::root_account();
    line.cwd = "/root";
    text = format_account_line(line);
  }
  std::fputs(text->c_str(), stdout);
  return std::fflush(stdout) == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc > 1 && std::string(argv[1]) == hermes::init::kPreserveFlag) return hermes::init::preserve_tmpfs_main();
  using namespace hermes::init;
  if (argc == 3 && std::strcmp(argv[1], "--account") == 0) return print_account(argv[2]);
  if (argc > 1 && argv[1] == kWinsizeFlag) run_winsize_launcher(argc, argv);

  prepare_process_title(argc, argv);
  hide_container_marks();
  record_boot();
  // Blocked before the first fork, so no SIGCHLD or SIGTERM is missed; every supervisor
  // (login_shell.hpp) waits for them synchronously, and the shell unblocks them for itself.
  block_supervisor_signals();
  const pid_t listener = fork();
  if (listener < 0) return 1;
  if (listener == 0) _exit(run_listener());
  const int code = supervise(listener, OnTerm::forward);
  // The container stops when PID 1 returns, and tmpfs contents with it: keep them first.
  preserve_tmpfs_main();
  return code;
}
