#pragma once
// Retention: what Hermes keeps, and for how long.
// - Stopped session containers: removed once stopped longer than
//   container_pool.cleanup_stopped_after_days (reason "age"), and beyond
//   retention.max_kept_containers the oldest stopped go first (reason "count"); optionally each
//   is exported first (retention.export_before_removal, container_export.hpp).
// - Recordings (and, from issue 4, artifacts): beyond retention.max_data_size the oldest
//   sessions' files go first (reason "size").
// Never a running session's container or files (ActiveSessions), never a container of another
// sensor or one whose name is not a session container's. A sweep runs at start-up, every hour,
// and shortly after sessions end; each removal is an event.
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <string>
#include <unordered_map>

#include "app/active_sessions.hpp"
#include "app/retention_policy.hpp"
#include "config/config.hpp"
#include "events/bus.hpp"
#include "sandbox/docker_client.hpp"

namespace hermes::app {

namespace asio = boost::asio;

struct RetentionSettings {
  std::string sensor;
  int keep_days = 0;  // 0: no age limit
  int max_kept_containers = 0;
  std::uint64_t max_data_bytes = 0;
  std::string recording_dir;
  std::string artifact_dir;  // empty: artifacts disabled, not counted
  bool export_before_removal = false;
  std::string export_dir;
  std::uint64_t export_cap_bytes = 0;

  static RetentionSettings from(const config::Config& config);
  bool limits_containers() const { return keep_days > 0 || max_kept_containers > 0; }
  bool limits_anything() const { return limits_containers() || max_data_bytes > 0; }
};

struct SweepResult {
  int containers_removed = 0;
  int sessions_removed = 0;  // sessions whose recordings were removed, plus artifacts removed
};

class Retention {
 public:
  Retention(sandbox::DockerClient& docker, events::Bus& bus, RetentionSettings settings,
            ActiveSessions& active)
      : docker_(docker), bus_(bus), settings_(std::move(settings)), active_(active) {}

  // Sweeps now, then every `interval` and soon after sessions end (checked every few seconds),
  // until cancelled. Returns at once when no limit is configured.
  asio::awaitable<void> run(std::chrono::seconds interval = std::chrono::hours(1));
  asio::awaitable<SweepResult> sweep(Clock::time_point now);

 private:
  asio::awaitable<int> sweep_containers(Clock::time_point now);
  int sweep_data();
  // This sensor's stopped session containers, with their stop times (inspected once, then
  // remembered: a stopped container's FinishedAt does not change).
  asio::awaitable<Result<std::vector<StoppedContainer>>> list_stopped();
  asio::awaitable<bool> remove(const ContainerRemoval& removal);
  // Exports before removal; false when the container must be kept for now (retry next sweep).
  asio::awaitable<bool> export_first(const StoppedContainer& container, nlohmann::json& exported);

  sandbox::DockerClient& docker_;
  events::Bus& bus_;
  RetentionSettings settings_;
  ActiveSessions& active_;
  std::unordered_map<std::string, StoppedContainer> stop_times_;  // by container id
};

}  // namespace hermes::app
