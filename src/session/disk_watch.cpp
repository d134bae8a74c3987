#include "session/disk_watch.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "common/log.hpp"

namespace hermes::session {

DiskWatch::DiskWatch(asio::any_io_executor strand, sandbox::DockerClient& docker,
                     std::string container_id, int64_t limit_bytes, std::chrono::seconds interval,
                     OnExceeded on_exceeded)
    : docker_(docker),
      container_id_(std::move(container_id)),
      limit_(limit_bytes),
      interval_(interval),
      on_exceeded_(std::move(on_exceeded)),
      timer_(std::move(strand)) {}

void DiskWatch::start() {
  asio::co_spawn(timer_.get_executor(), [self = shared_from_this()] { return self->run(); },
                 asio::detached);
}

void DiskWatch::stop() {
  stopped_ = true;
  timer_.cancel();
}

asio::awaitable<void> DiskWatch::run() {
  while (!stopped_) {
    timer_.expires_after(interval_);
    boost::system::error_code ec;  // cancellation by stop() ends the wait early
    co_await timer_.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    if (stopped_) break;
    // One check at a time: the next interval starts only when this answer is in, so a slow
    // engine (a layer with very many files takes long to measure) is never asked twice at once.
    auto size = co_await docker_.writable_layer_size(container_id_);
    if (stopped_) break;
    if (!size) {
      if (!warned_) {
        warned_ = true;
        log::warn("session", "disk limit of " + container_id_.substr(0, 12) +
                                 " cannot be checked: " + size.error().message);
      }
      continue;
    }
    last_size_ = *size;
    if (*size > limit_) {
      stopped_ = true;
      on_exceeded_(*size, limit_);
      break;
    }
  }
}

}  // namespace hermes::session
