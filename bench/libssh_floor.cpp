// The floor under Hermes's brute-force cost: libssh alone, doing what every such connection
// needs and nothing else — accept, key exchange with the same host keys and algorithms libssh
// offers by default, one password request answered "denied", close. One thread, blocking calls,
// no events, no logging. bench/run.py measures its CPU per connection beside Hermes's, so the
// table shows how much of Hermes's cost is the SSH library's own (docs/performance.md).
//
//   hermes-libssh-floor PORT HOSTKEY...   (listens on 127.0.0.1:PORT until killed)
#include <libssh/libssh.h>
#include <libssh/server.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <memory>

namespace {

struct BindDeleter {
  void operator()(ssh_bind bind) const { ssh_bind_free(bind); }
};
struct SessionDeleter {
  void operator()(ssh_session session) const {
    ssh_disconnect(session);
    ssh_free(session);
  }
};
struct MessageDeleter {
  void operator()(ssh_message message) const { ssh_message_free(message); }
};
using Bind = std::unique_ptr<ssh_bind_struct, BindDeleter>;
using Session = std::unique_ptr<ssh_session_struct, SessionDeleter>;
using Message = std::unique_ptr<ssh_message_struct, MessageDeleter>;

// A client asks for the ssh-userauth service, may try "none", then sends its password.
constexpr int kMaxMessages = 8;

int listen_on_loopback(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  const int on = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 || ::listen(fd, 1024) != 0) {
    std::perror("listen");
    std::exit(1);
  }
  return fd;
}

void serve_one(ssh_bind bind, int fd) {
  Session session(ssh_new());
  if (!session || ssh_bind_accept_fd(bind, session.get(), fd) != SSH_OK) {
    ::close(fd);
    return;
  }
  if (ssh_handle_key_exchange(session.get()) != SSH_OK) return;
  for (int i = 0; i < kMaxMessages; ++i) {
    Message message(ssh_message_get(session.get()));
    if (!message) return;
    if (ssh_message_type(message.get()) == SSH_REQUEST_SERVICE) {
      ssh_message_service_reply_success(message.get());
      continue;
    }
    const bool password = ssh_message_type(message.get()) == SSH_REQUEST_AUTH &&
                          ssh_message_subtype(message.get()) == SSH_AUTH_METHOD_PASSWORD;
    ssh_message_auth_set_methods(message.get(), SSH_AUTH_METHOD_PASSWORD);
    ssh_message_reply_default(message.get());  // "denied"
    if (password) return;
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s PORT HOSTKEY...\n", argv[0]);
    return 2;
  }
  ssh_init();
  Bind bind(ssh_bind_new());
  for (int i = 2; i < argc; ++i) {
    if (ssh_bind_options_set(bind.get(), SSH_BIND_OPTIONS_HOSTKEY, argv[i]) != SSH_OK) {
      std::fprintf(stderr, "host key %s: %s\n", argv[i], ssh_get_error(bind.get()));
      return 1;
    }
  }
  const int listener = listen_on_loopback(std::atoi(argv[1]));
  for (;;) {
    const int fd = ::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd >= 0) serve_one(bind.get(), fd);
  }
}
