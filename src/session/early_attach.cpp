#include "session/early_attach.hpp"

namespace hermes::session {

boost::asio::awaitable<void> EarlyAttach::run(sandbox::DockerClient& docker, std::string container_id) {
  if (state_ != State::idle) co_return;
  state_ = State::attaching;
  auto attached = co_await docker.attach_container(std::move(container_id));
  stream_ = std::move(attached);
  state_ = State::ready;
  done_.notify();
}

boost::asio::awaitable<std::optional<EarlyAttach::Stream>> EarlyAttach::take() {
  while (state_ == State::attaching) co_await done_.wait();
  if (state_ != State::ready) co_return std::nullopt;
  state_ = State::taken;
  std::optional<Stream> taken = std::move(stream_);
  stream_.reset();
  co_return taken;
}

}  // namespace hermes::session
