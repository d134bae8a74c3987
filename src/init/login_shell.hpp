#pragma once
// Starting the attacker's login shell as PID 1's child, and PID 1's life after that.
#include <sys/types.h>

#include <string>
#include <vector>

#include "init/accounts.hpp"

namespace hermes::init {

// Blocks the signals PID 1 waits for (SIGCHLD, SIGTERM): call before fork so none is missed.
void block_supervisor_signals();

// Forks the login shell on fd 0: its own process group in the foreground of the TTY that PID 1
// keeps as controlling terminal, the account's ids, cwd = home, argv[0] = "-<shell name>".
// Returns the child's pid, or -1 when fork fails.
pid_t spawn_login_shell(const Account& account, const std::vector<std::string>& env);

// PID 1's loop: reaps every child (orphans re-parent to us) until the shell exits, then returns
// the container's exit code: the shell's status, or 128 + signal. SIGTERM (what `docker stop`
// sends) hangs up the shell's process group and returns 128 + SIGTERM.
int supervise(pid_t shell_pid);

}  // namespace hermes::init
