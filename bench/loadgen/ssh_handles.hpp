#pragma once
// RAII over libssh's client handles. One SshSession is used by one thread at a time (libssh
// 0.10 allows no more); it may be handed to another thread between uses.
#include <libssh/libssh.h>

#include <memory>
#include <string>

#include "common/result.hpp"

namespace hermes::loadgen {

// Where and as whom to connect; timeout_ms bounds every blocking libssh call.
struct SshTarget {
  std::string host = "127.0.0.1";
  int port = 22;
  std::string user = "root";
  std::string password;
  int timeout_ms = 30000;
};

// ssh_init() once for the process, ssh_finalize() at its end: live in main, before any thread.
class LibsshRuntime {
 public:
  LibsshRuntime();
  ~LibsshRuntime();
  LibsshRuntime(const LibsshRuntime&) = delete;
  LibsshRuntime& operator=(const LibsshRuntime&) = delete;
};

class SshSession {
 public:
  // TCP connect and key exchange, always asking for the ssh-ed25519 host key (so every server
  // under test signs with the same algorithm), reading no ssh_config and no known_hosts, and
  // checking no host key: the servers are ours, on loopback.
  static Result<SshSession> connect(const SshTarget& target);

  // Destruction sends SSH_MSG_DISCONNECT (without waiting) and frees the session.

  // One password attempt: the ssh_auth_e code (SSH_AUTH_SUCCESS, SSH_AUTH_DENIED, ...).
  int try_password(const std::string& password);
  std::string last_error() const;
  ssh_session get() const { return handle_.get(); }

 private:
  struct Disconnect {
    void operator()(ssh_session session) const;
  };
  explicit SshSession(ssh_session handle) : handle_(handle) {}
  std::unique_ptr<ssh_session_struct, Disconnect> handle_;
};

class SshChannel {
 public:
  // A "session" channel opened on `session`; the channel must be destroyed before it.
  static Result<SshChannel> open_session(SshSession& session);

  // Destruction closes the channel (without waiting for the server's close) and frees it.

  ssh_channel get() const { return handle_.get(); }

 private:
  struct Free {
    // ssh_channel_free sends the close itself when the channel is still open.
    void operator()(ssh_channel channel) const { ssh_channel_free(channel); }
  };
  explicit SshChannel(ssh_channel handle) : handle_(handle) {}
  std::unique_ptr<ssh_channel_struct, Free> handle_;
};

}  // namespace hermes::loadgen
