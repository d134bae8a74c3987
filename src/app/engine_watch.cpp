#include "app/engine_watch.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <exception>
#include <vector>

#include "app/reconcile_events.hpp"
#include "common/backoff.hpp"
#include "common/log.hpp"
#include "sandbox/engine_events.hpp"

namespace hermes::app {
namespace {

using Clock = std::chrono::steady_clock;
constexpr std::string_view kComponent = "engine";
// A stream that stayed up this long resets the backoff; one that keeps breaking at once does not.
constexpr auto kStableStream = std::chrono::seconds(30);


}  // namespace

EngineWatch::EngineWatch(asio::any_io_executor executor, sandbox::DockerClient& docker,
                         sandbox::PoolSet& pool, events::Bus& bus, std::string sensor)
    : strand_(asio::make_strand(std::move(executor))),
      docker_(docker),
      pool_(pool),
      bus_(bus),
      sensor_(std::move(sensor)),
      backoff_(strand_) {}

void EngineWatch::start() {
  asio::co_spawn(strand_, run(), [](std::exception_ptr error) {
    if (!error) return;
    try {
      std::rethrow_exception(error);
    } catch (const std::exception& e) {
      log::error(kComponent, std::string("the engine watch failed: ") + e.what());
    } catch (...) {
      log::error(kComponent, "the engine watch failed with an unknown exception");
    }
  });
}

void EngineWatch::stop() {
  asio::post(strand_, [this] {
    stopped_ = true;
    backoff_.cancel();
    if (stream_) stream_->close();
  });
}

asio::awaitable<void> EngineWatch::sleep(std::chrono::seconds delay) {
  backoff_.expires_after(delay);
  boost::system::error_code ignored;  // cancelled by stop()
  co_await backoff_.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
}

asio::awaitable<std::string> EngineWatch::follow(sandbox::BodyStream& stream) {
  sandbox::LineSplitter splitter;
  std::vector<std::string> lines;
  std::size_t reported_drops = 0;
  for (;;) {
    auto bytes = co_await stream.read_some();
    if (!bytes) co_return bytes.error().message;
    if (bytes->empty()) co_return "the engine ended its event stream";
    lines.clear();
    splitter.feed(*bytes, lines);
    for (const auto& line : lines) {
      const auto event = sandbox::parse_container_event(line);
      if (event && sandbox::ends_container(event->action)) pool_.container_ended(event->id, event->action);
    }
    if (splitter.dropped() > reported_drops) {
      reported_drops = splitter.dropped();
      log::warn(kComponent, "dropped an engine event line longer than " +
                                std::to_string(sandbox::kMaxEngineEventLine) + " bytes");
    }
  }
}

asio::awaitable<void> EngineWatch::engine_returned() {
  // The engine may have been upgraded while away: learn its API version again.
  auto version = co_await docker_.ping();
  log::info(kComponent, "the Docker engine at " + docker_.endpoint().describe() + " answers again" +
                            (version ? " (API " + *version + ")" : std::string()) +
                            "; reconciling containers and refilling the pool");
  auto in_use = co_await pool_.in_use();
  // Arguments as named values: GCC 12 mishandles temporaries inside a co_await expression.
  std::string trigger = "engine_back";
  co_await reconcile_and_report(docker_, bus_, sensor_, std::move(in_use), std::move(trigger));
  if (!stopped_) pool_.engine_back();
}

asio::awaitable<void> EngineWatch::run() {
  const std::string label = "hermes.sensor=" + sensor_;
  std::vector<std::string> actions;
  for (auto action : sandbox::kContainerEndActions) actions.emplace_back(action);
  Backoff backoff;
  bool lost = false;
  while (!stopped_) {
    std::string failure;
    auto opened = co_await docker_.container_events(label, actions);
    if (stopped_) break;
    if (opened) {
      stream_ = std::move(*opened);
      if (lost) {
        co_await engine_returned();
        lost = false;
      }
      const auto since = Clock::now();
      failure = co_await follow(*stream_);
      stream_.reset();
      if (stopped_) break;
      if (Clock::now() - since >= kStableStream) backoff.reset();
    } else {
      failure = opened.error().message;
    }
    const auto delay = backoff.next();
    if (!lost) {
      lost = true;
      pool_.engine_lost();
      log::error(kComponent, "lost the Docker engine at " + docker_.endpoint().describe() + ": " + failure +
                                 "; refusing new sessions until it answers again (retrying in " +
                                 seconds_text(delay) + ")");
    } else {
      log::warn(kComponent, "the Docker engine is still unavailable (" + failure + "); retrying in " +
                                seconds_text(delay));
    }
    co_await sleep(delay);
  }
  stream_.reset();
}

}  // namespace hermes::app
