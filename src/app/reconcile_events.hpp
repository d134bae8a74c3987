#pragma once
// Reconciles this sensor's containers (sandbox/reconcile.hpp) and reports each step: a
// `hermes.container.reconciled` event per container, the operator log for failures.
#include <boost/asio/awaitable.hpp>
#include <string>
#include <unordered_set>

#include "events/bus.hpp"
#include "sandbox/docker_client.hpp"

namespace hermes::app {

// `trigger` says why ("startup" after a restart, "engine_back" after the engine returned) and
// goes into the events. Returns false when the containers could not even be listed.
boost::asio::awaitable<bool> reconcile_and_report(sandbox::DockerClient& docker, events::Bus& bus,
                                                  std::string sensor, std::unordered_set<std::string> in_use,
                                                  std::string trigger);

}  // namespace hermes::app
