#pragma once
// container_pool.cleanup_stopped_after_days: session containers are kept stopped for forensics,
// then removed once they have been stopped longer than that. A sweep runs at start-up and every
// hour; each removal is a `hermes.container.removed` event. Only containers of this sensor
// (label hermes.sensor) whose name is a session container's name are ever considered.
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <string>

#include "events/bus.hpp"
#include "sandbox/docker_client.hpp"

namespace hermes::app {

namespace asio = boost::asio;

class ContainerRetention {
 public:
  ContainerRetention(sandbox::DockerClient& docker, events::Bus& bus, std::string sensor, int keep_days)
      : docker_(docker), bus_(bus), sensor_(std::move(sensor)), keep_days_(keep_days) {}

  // Sweeps now and then every `interval` until the coroutine is cancelled. Does nothing when
  // keep_days is 0 (keep forever).
  asio::awaitable<void> run(std::chrono::seconds interval = std::chrono::hours(1));
  // One sweep; returns how many containers were removed.
  asio::awaitable<int> sweep(std::chrono::system_clock::time_point now);

  // The session id if `name` ("/hermes-<sensor>-<12 hex>" as Docker lists it) is one of this
  // sensor's session containers; empty otherwise.
  std::string session_of(std::string_view name) const;

 private:
  sandbox::DockerClient& docker_;
  events::Bus& bus_;
  std::string sensor_;
  int keep_days_;
};

}  // namespace hermes::app
