#include "sandbox/reconcile.hpp"

#include "sandbox/container_names.hpp"

namespace hermes::sandbox {
namespace {

// A session container gets a moment to end its shell before it is killed, as at release.
constexpr int kStopSeconds = 1;

std::string first_name(const Json& entry) {
  const auto names = entry.find("Names");
  if (names == entry.end() || !names->is_array() || names->empty() || !(*names)[0].is_string()) return {};
  std::string name = (*names)[0].get<std::string>();
  if (!name.empty() && name.front() == '/') name.erase(0, 1);
  return name;
}

std::string string_field(const Json& entry, const char* key) {
  const auto it = entry.find(key);
  return it != entry.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

std::string_view action_name(ReconcileStep::Action action) {
  return action == ReconcileStep::Action::remove ? "removed" : "stopped";
}

std::vector<ReconcileStep> plan_reconcile(const Json& listed, std::string_view sensor,
                                          const std::unordered_set<std::string>& in_use) {
  std::vector<ReconcileStep> steps;
  if (!listed.is_array()) return steps;
  for (const auto& entry : listed) {
    if (!entry.is_object()) continue;
    ReconcileStep step;
    step.id = string_field(entry, "Id");
    step.name = first_name(entry);
    if (step.id.empty() || step.name.empty() || in_use.contains(step.id)) continue;
    if (is_pool_container_name(sensor, step.name)) {
      step.action = ReconcileStep::Action::remove;
      steps.push_back(std::move(step));
      continue;
    }
    step.session = session_of_container_name(sensor, step.name);
    // Only a running one needs stopping; a stopped one is already kept as it should be.
    if (!step.session.empty() && string_field(entry, "State") == "running") {
      step.action = ReconcileStep::Action::stop;
      steps.push_back(std::move(step));
    }
  }
  return steps;
}

asio::awaitable<Result<std::vector<ReconcileOutcome>>> reconcile_containers(
    DockerClient& docker, std::string sensor, std::unordered_set<std::string> in_use) {
  std::string label = "hermes.sensor=" + sensor;  // named: no temporaries inside co_await (GCC 12)
  auto listed = co_await docker.list_containers(std::move(label), /*all=*/true);
  if (!listed) co_return std::unexpected(std::move(listed.error()));
  std::vector<ReconcileOutcome> outcomes;
  // A named vector: GCC 12 does not keep a range-for temporary alive across a co_await.
  auto steps = plan_reconcile(*listed, sensor, in_use);
  for (auto& step : steps) {
    Result<void> done;
    if (step.action == ReconcileStep::Action::remove) {
      done = co_await docker.remove_container(step.id, /*force=*/true);
    } else {
      done = co_await docker.stop_container(step.id, kStopSeconds);
    }
    outcomes.push_back(ReconcileOutcome{std::move(step), done ? std::string() : done.error().message});
  }
  co_return outcomes;
}

}  // namespace hermes::sandbox
