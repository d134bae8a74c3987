// hermes-init: PID 1 of every Hermes target container, installed as /sbin/init.
// It waits, silent, for the one session line Hermes writes to the container's TTY when an
// attacker logs in (common/session_line.hpp), then turns into that login: terminal modes and
// size, the user (created if needed), utmp, and a login shell as its child. It prints nothing
// of its own, because its TTY is the attacker's terminal.
#include <signal.h>
#include <unistd.h>

#include <string>

#include "init/accounts.hpp"
#include "init/login_env.hpp"
#include "init/login_records.hpp"
#include "init/login_shell.hpp"
#include "init/terminal.hpp"
#include "init/tmpfs_preserve.hpp"

namespace {

// PID 1 ignores every signal left at its default disposition, SIGTERM included, so `docker stop`
// would always have to wait for its kill timeout. Before the shell exists there is nothing to
// clean up: leave at once.
void exit_on_sigterm(int) { _exit(128 + SIGTERM); }

std::string terminal_path(int fd) {
  const char* name = ttyname(fd);
  return name ? name : "";
}

}  // namespace

int main(int argc, char** argv) {
  if (argc > 1 && std::string(argv[1]) == hermes::init::kPreserveFlag) return hermes::init::preserve_tmpfs_main();
  struct sigaction action {};
  action.sa_handler = exit_on_sigterm;
  sigemptyset(&action.sa_mask);
  sigaction(SIGTERM, &action, nullptr);

  using namespace hermes::init;
  enter_raw_mode(STDIN_FILENO);
  const hermes::SessionStart start = wait_for_session(STDIN_FILENO);

  enter_login_mode(STDIN_FILENO);
  set_window_size(STDIN_FILENO, start.cols, start.rows);
  const Account account = resolve_login_account(start.user);
  const std::string tty = terminal_path(STDIN_FILENO);

  block_supervisor_signals();
  const pid_t shell = spawn_login_shell(account, build_login_env(start, account, tty));
  if (shell < 0) return 1;
  record_login(shell, tty, account.name, start.client_ip);
  const int code = supervise(shell);
  record_logout(shell, tty);
  // The container stops when PID 1 returns, and tmpfs contents with it: keep them first.
  hermes::init::preserve_tmpfs_main();
  return code;
}
