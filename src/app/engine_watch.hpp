#pragma once
// Follows the Docker engine's event stream for this sensor's containers. The stream is the
// engine's pulse: while it is open the engine is there; when it breaks the engine is gone (the
// pool is told, and new sessions are refused); when it can be opened again the engine is back
// (containers are reconciled and the pool refills). Its die/oom/destroy events also take dead
// containers out of the pool's ready list. Reconnects back off from 1 s to 30 s; the operator
// log gets one line per change of state and per backoff step.
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <memory>
#include <string>

#include "events/bus.hpp"
#include "sandbox/pool_set.hpp"
#include "sandbox/docker_client.hpp"

namespace hermes::app {

namespace asio = boost::asio;

class EngineWatch {
 public:
  EngineWatch(asio::any_io_executor executor, sandbox::DockerClient& docker, sandbox::PoolSet& pool,
              events::Bus& bus, std::string sensor);

  // Starts following in the background; stop() ends it (from any thread).
  void start();
  void stop();

 private:
  asio::awaitable<void> run();
  // Reads the stream until it ends or breaks; returns why, for the operator.
  asio::awaitable<std::string> follow(sandbox::BodyStream& stream);
  asio::awaitable<void> engine_returned();
  asio::awaitable<void> sleep(std::chrono::seconds delay);

  asio::strand<asio::any_io_executor> strand_;
  sandbox::DockerClient& docker_;
  sandbox::PoolSet& pool_;
  events::Bus& bus_;
  const std::string sensor_;
  // Only touched on strand_.
  asio::steady_timer backoff_;
  std::unique_ptr<sandbox::BodyStream> stream_;
  bool stopped_ = false;
};

}  // namespace hermes::app
