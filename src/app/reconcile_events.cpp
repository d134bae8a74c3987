#include "app/reconcile_events.hpp"

#include "common/log.hpp"
#include "events/event.hpp"
#include "sandbox/reconcile.hpp"

namespace hermes::app {
namespace {

constexpr std::string_view kComponent = "reconcile";

std::string describe(const sandbox::ReconcileStep& step) {
  return step.action == sandbox::ReconcileStep::Action::remove
             ? "Removed stale pool container " + step.name
             : "Stopped session container " + step.name + " left running (kept as evidence)";
}

}  // namespace

boost::asio::awaitable<bool> reconcile_and_report(sandbox::DockerClient& docker, events::Bus& bus,
                                                  std::string sensor, std::unordered_set<std::string> in_use,
                                                  std::string trigger) {
  auto outcomes = co_await sandbox::reconcile_containers(docker, sensor, std::move(in_use));
  if (!outcomes) {
    log::warn(kComponent, "cannot list the containers of sensor " + sensor + ": " + outcomes.error().message);
    co_return false;
  }
  std::size_t done = 0;
  for (const auto& outcome : *outcomes) {
    const auto& step = outcome.step;
    if (!outcome.error.empty()) {
      log::warn(kComponent, "container " + step.name + " could not be " +
                                std::string(sandbox::action_name(step.action)) + ": " + outcome.error);
      continue;
    }
    ++done;
    events::ConnectionInfo connection;
    connection.session = step.session;
    bus.publish(events::make_event(connection, "hermes.container.reconciled", describe(step),
                                   {{"container_id", step.id},
                                    {"container_name", step.name},
                                    {"action", std::string(sandbox::action_name(step.action))},
                                    {"trigger", trigger}}));
  }
  if (done > 0) {
    log::info(kComponent, "reconciled " + std::to_string(done) + " containers of sensor " + sensor + " (" + trigger + ")");
  }
  co_return true;
}

}  // namespace hermes::app
