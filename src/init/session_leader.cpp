#include "init/session_leader.hpp"

#include <signal.h>
#include <unistd.h>

#include <ctime>

#include "common/login_environment.hpp"
#include "init/accounts.hpp"
#include "init/last_login.hpp"
#include "init/login_banner.hpp"
#include "init/login_records.hpp"
#include "init/login_shell.hpp"
#include "init/process_title.hpp"
#include "init/terminal.hpp"

namespace hermes::init {
namespace {

std::string terminal_path(int fd) {
  const char* name = ttyname(fd);
  return name ? name : "";
}

std::string line_of(const std::string& tty_path) {
  return tty_path.starts_with("/dev/") ? tty_path.substr(5) : tty_path;
}

void write_all(int fd, const std::string& bytes) {
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = write(fd, bytes.data() + done, bytes.size() - done);
    if (n <= 0) return;  // the attacker's terminal went away; the shell will notice too
    done += static_cast<std::size_t>(n);
  }
}

}  // namespace

int run_session(const SessionStart& start) {
  // A lastlog or wtmp write past the container's file-size limit must fail, not kill us.
  signal(SIGXFSZ, SIG_IGN);
  const Account account = resolve_login_account(start.user);
  const std::string tty = terminal_path(STDIN_FILENO);
  set_process_title("sshd: " + account.name + "@" + line_of(tty));
  set_login_uid(account.uid);

  // Read before this login is recorded, so it shows the one before (as sshd does).
  write_all(STDOUT_FILENO, compose_banner(gather_banner(account)));
  const pid_t shell = spawn_login_shell(account, build_login_environment(start, account, true, tty));
  if (shell < 0) return 1;
  record_login(shell, tty, account.name, start.client_ip);
  remember_login(account.uid, line_of(tty), start.client_ip, std::time(nullptr));
  const int code = supervise(shell, OnTerm::hang_up_group);
  record_logout(shell, tty);
  return code;
}

int run_listener() {
  set_process_title(kListenerTitle);
  enter_raw_mode(STDIN_FILENO);
  const SessionStart start = wait_for_session(STDIN_FILENO);
  enter_login_mode(STDIN_FILENO);
  set_window_size(STDIN_FILENO, start.cols, start.rows);
  const pid_t session = fork();
  if (session < 0) return 1;
  if (session == 0) _exit(run_session(start));
  return supervise(session, OnTerm::forward);
}

}  // namespace hermes::init
