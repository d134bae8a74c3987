#pragma once
// The pool container's init waits on its attached TTY for the session line. Attaching costs the
// engine a few milliseconds (tens under load); starting it as soon as the container is leased,
// while the client is still opening its channel and asking for a pty and a shell, takes it off
// the path from password to prompt. The stream is handed to the session's first interactive
// shell; a session that never asks for one just closes it (the container was created with
// StdinOnce false, so init keeps waiting and nothing changes inside).
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <memory>
#include <optional>
#include <string>

#include "common/async_signal.hpp"
#include "common/result.hpp"
#include "sandbox/docker_client.hpp"

namespace hermes::session {

class EarlyAttach {
 public:
  using Stream = Result<std::unique_ptr<sandbox::HijackedStream>>;

  explicit EarlyAttach(const boost::asio::any_io_executor& strand) : done_(strand) {}

  // Attaches to `container_id` and keeps the stream for take(). Once per session, on its strand.
  boost::asio::awaitable<void> run(sandbox::DockerClient& docker, std::string container_id);
  // The early stream (or the error attaching gave), waiting for an attach in progress; nullopt
  // when none was started or it was taken already: the caller attaches itself then.
  boost::asio::awaitable<std::optional<Stream>> take();

 private:
  enum class State { idle, attaching, ready, taken };
  State state_ = State::idle;
  std::optional<Stream> stream_;
  AsyncSignal done_;
};

}  // namespace hermes::session
