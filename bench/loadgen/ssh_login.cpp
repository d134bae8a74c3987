#include "ssh_login.hpp"

#include "channel_io.hpp"

namespace hermes::loadgen {

Result<LoggedIn> log_in(const SshTarget& target) {
  auto session = SshSession::connect(target);
  if (!session) return std::unexpected(session.error());
  const int outcome = session->try_password(target.password);
  if (outcome != SSH_AUTH_SUCCESS) {
    return fail("password not accepted (libssh code " + std::to_string(outcome) + "): " + session->last_error());
  }
  return LoggedIn{std::move(*session), Clock::now()};
}

Result<OpenShell> open_shell(const SshTarget& target, Clock::time_point deadline) {
  auto login = log_in(target);
  if (!login) return std::unexpected(login.error());
  auto channel = SshChannel::open_session(login->session);
  if (!channel) return std::unexpected(channel.error());
  if (ssh_channel_request_pty_size(channel->get(), "xterm", 80, 24) != SSH_OK) {
    return fail("pty request: " + login->session.last_error());
  }
  if (ssh_channel_request_shell(channel->get()) != SSH_OK) {
    return fail("shell request: " + login->session.last_error());
  }
  char first_byte = 0;
  ChannelRead first = read_output(channel->get(), deadline, std::span<char>(&first_byte, 1));
  const double waited_ms = ms_since(login->authenticated_at);
  switch (first.status) {
    case ReadStatus::data:
      return OpenShell{std::move(login->session), std::move(*channel), waited_ms};
    case ReadStatus::timeout:
      return fail("no shell output within the deadline");
    case ReadStatus::eof:
      return fail("shell channel ended before any output");
    case ReadStatus::error:
      break;
  }
  return fail("reading shell output: " + login->session.last_error());
}

void leave_shell(OpenShell& shell) {
  // Ctrl-U first: whatever was typed on the line must not run.
  write_input(shell.channel.get(), "\x15" "exit\n");
  ssh_channel_send_eof(shell.channel.get());
}

}  // namespace hermes::loadgen
