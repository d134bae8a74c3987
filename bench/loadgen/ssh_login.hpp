#pragma once
// The steps every authenticated mode shares: log in with the password, and (login, sessions,
// burst) open an interactive shell and time the first byte of its output.
#include <string>

#include "common/result.hpp"
#include "ssh_handles.hpp"
#include "stopwatch.hpp"

namespace hermes::loadgen {

struct LoggedIn {
  SshSession session;
  Clock::time_point authenticated_at;  // when ssh_userauth_password returned SSH_AUTH_SUCCESS
};

// Connect, key exchange, one password attempt that must succeed.
Result<LoggedIn> log_in(const SshTarget& target);

struct OpenShell {
  SshSession session;  // declared before the channel: the channel is destroyed first
  SshChannel channel;
  double auth_to_first_byte_ms = 0;
};

// log_in, then a session channel with an xterm 80x24 pty and a shell; returns once the first
// output byte arrived (the prompt or banner), or fails when `deadline` passes first.
Result<OpenShell> open_shell(const SshTarget& target, Clock::time_point deadline);

// Leaves the way an operator would: kill the typed line, `exit`, EOF. Does not wait for the
// shell to end; the handles' destructors then close and disconnect.
void leave_shell(OpenShell& shell);

}  // namespace hermes::loadgen
