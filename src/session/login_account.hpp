#pragma once
// Which account a session's exec channels run as. A login shell becomes its user through
// hermes-init on the container's TTY; a command (`ssh host cmd`) is a `docker exec`, and must
// run as that same user, with that user's shell, home and environment, even when it comes
// before any shell. So once per session Hermes runs `/sbin/init --account USER` as root in the
// container: the same code that resolves the login shell's user resolves (and, if needed,
// creates) it, and prints it (common/account.hpp).
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <optional>
#include <string>

#include "common/account.hpp"
#include "common/async_signal.hpp"
#include "sandbox/docker_client.hpp"

namespace hermes::session {

namespace asio = boost::asio;

class LoginAccount {
 public:
  explicit LoginAccount(const asio::any_io_executor& executor) : resolved_signal_(executor) {}

  // Resolves on the first call; concurrent and later calls share the answer. When the
  // container cannot answer (engine error, an image whose init predates --account, a reply
  // that does not parse, no answer within kResolveTimeout) it is root, as hermes-init's own
  // fallback would be: a login never fails once SSH said yes. Runs on the session's strand.
  asio::awaitable<AccountLine> get(sandbox::DockerClient& docker, std::string container_id,
                                   std::string user);
  // After get(): whether /sbin/init is a hermes-init that has the exec launcher
  // (init/winsize_launcher.hpp): it answered, with protocol 2 or later. Not for an image with
  // another init (the answer is then the root fallback), nor for one built by an older release.
  bool init_has_winsize_launcher() const {
    return state_ == State::ready && answered_by_init_ && account_.init_protocol >= 2;
  }

 private:
  asio::awaitable<std::optional<AccountLine>> ask_container(sandbox::DockerClient& docker,
                                             std::string container_id, std::string user);

  enum class State { none, pending, ready };
  State state_ = State::none;
  AccountLine account_;
  bool answered_by_init_ = false;
  AsyncSignal resolved_signal_;
};

}  // namespace hermes::session
