#pragma once
// Reconciling this sensor's containers with what Hermes knows, after a crash (at start) or after
// the engine came back: a pool container nobody holds is stale and removed; a session container
// that still runs without a live session is stopped and kept, as evidence. Containers in
// `in_use` (the pool's ready ones, the live sessions' ones) are left alone, as are containers
// that do not carry one of this sensor's names.
#include <boost/asio/awaitable.hpp>
#include <string>
#include <unordered_set>
#include <vector>

#include "common/result.hpp"
#include "sandbox/docker_client.hpp"

namespace hermes::sandbox {

struct ReconcileStep {
  enum class Action { remove, stop };
  Action action = Action::remove;
  std::string id;
  std::string name;     // without the leading '/'
  std::string session;  // for session containers
};

// The steps for a GET /containers/json?all=1 answer (pure; unit-tested). Malformed entries are
// skipped.
std::vector<ReconcileStep> plan_reconcile(const Json& listed, std::string_view sensor,
                                          const std::unordered_set<std::string>& in_use);

struct ReconcileOutcome {
  ReconcileStep step;
  std::string error;  // empty when the step succeeded
};

// Lists the sensor's containers (label hermes.sensor=<sensor>) and carries out the plan; an
// Error only when the list itself cannot be had.
asio::awaitable<Result<std::vector<ReconcileOutcome>>> reconcile_containers(
    DockerClient& docker, std::string sensor, std::unordered_set<std::string> in_use);

std::string_view action_name(ReconcileStep::Action action);  // "removed" | "stopped"

}  // namespace hermes::sandbox
