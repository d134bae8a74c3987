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

// What a supervisor does with the SIGTERM that `docker stop` sends PID 1.
enum class OnTerm {
  hang_up_group,  // the child is the shell: SIGHUP (+SIGCONT) to its process group
  forward,        // the child is another supervisor: pass the SIGTERM on
};

// A supervisor's loop: reaps every child that is ready (for PID 1 that includes orphans) until
// `child` exits, then returns its exit code (its status, or 128 + signal). On SIGTERM it acts
// as `on_term` says and returns 128 + SIGTERM.
int supervise(pid_t child, OnTerm on_term);

}  // namespace hermes::init
