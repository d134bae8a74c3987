#include "ssh_handles.hpp"


namespace hermes::loadgen {

LibsshRuntime::LibsshRuntime() { ssh_init(); }
LibsshRuntime::~LibsshRuntime() { ssh_finalize(); }

namespace {

// Applies every option; the first refusal is returned with the option's name.
Result<void> configure(ssh_session session, const SshTarget& target) {
  const int port = target.port;
  const long timeout_s = target.timeout_ms / 1000;
  const long timeout_us = (target.timeout_ms % 1000) * 1000L;
  const int no = 0;
  const int yes = 1;
  const int quiet = SSH_LOG_NOLOG;
  const bool skip_config_files = false;
  struct Setting {
    ssh_options_e option;
    const void* value;
    const char* name;
  };
  const Setting settings[] = {
      {SSH_OPTIONS_LOG_VERBOSITY, &quiet, "log verbosity"},
      {SSH_OPTIONS_PROCESS_CONFIG, &skip_config_files, "process config"},
      {SSH_OPTIONS_HOST, target.host.c_str(), "host"},
      {SSH_OPTIONS_PORT, &port, "port"},
      {SSH_OPTIONS_USER, target.user.c_str(), "user"},
      {SSH_OPTIONS_KNOWNHOSTS, "/dev/null", "known hosts"},
      {SSH_OPTIONS_GLOBAL_KNOWNHOSTS, "/dev/null", "global known hosts"},
      {SSH_OPTIONS_STRICTHOSTKEYCHECK, &no, "strict host key check"},
      {SSH_OPTIONS_HOSTKEYS, "ssh-ed25519", "host keys"},
      // Interactive echo latency must not include Nagle's delay (OpenSSH's client sets it too).
      {SSH_OPTIONS_NODELAY, &yes, "nodelay"},
      {SSH_OPTIONS_TIMEOUT, &timeout_s, "timeout"},
      {SSH_OPTIONS_TIMEOUT_USEC, &timeout_us, "timeout usec"},
  };
  for (const auto& setting : settings) {
    if (ssh_options_set(session, setting.option, setting.value) != SSH_OK) {
      return fail(std::string("ssh option ") + setting.name + ": " + ssh_get_error(session));
    }
  }
  return {};
}

}  // namespace

Result<SshSession> SshSession::connect(const SshTarget& target) {
  ssh_session handle = ssh_new();
  if (handle == nullptr) return fail("ssh_new failed");
  SshSession session(handle);
  if (auto configured = configure(handle, target); !configured) return std::unexpected(configured.error());
  if (ssh_connect(handle) != SSH_OK) return fail("connect/key exchange: " + session.last_error());
  return session;
}

void SshSession::Disconnect::operator()(ssh_session session) const {
  if (ssh_is_connected(session)) ssh_disconnect(session);
  ssh_free(session);
}

int SshSession::try_password(const std::string& password) {
  return ssh_userauth_password(handle_.get(), nullptr, password.c_str());
}

std::string SshSession::last_error() const {
  const char* text = handle_ ? ssh_get_error(handle_.get()) : nullptr;
  return text ? text : "unknown libssh error";
}

Result<SshChannel> SshChannel::open_session(SshSession& session) {
  ssh_channel handle = ssh_channel_new(session.get());
  if (handle == nullptr) return fail("ssh_channel_new: " + session.last_error());
  SshChannel channel(handle);
  if (ssh_channel_open_session(handle) != SSH_OK) return fail("channel open: " + session.last_error());
  return channel;
}

}  // namespace hermes::loadgen
