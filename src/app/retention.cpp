#include "app/retention.hpp"

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <unordered_set>

#include "app/container_export.hpp"
#include "app/artifact_inventory.hpp"
#include "app/recording_inventory.hpp"
#include "common/ids.hpp"
#include "common/log.hpp"
#include "record/iso8601_parse.hpp"
#include "record/session_metadata.hpp"
#include "sandbox/container_names.hpp"

namespace hermes::app {
namespace {

// How often the sweeper looks whether sessions ended since its last sweep (cheap: no I/O). It
// also spaces sweeps out when sessions end in a flood: a sweep lists the engine's containers and
// stats the recordings directory.
constexpr auto kEndedCheckInterval = std::chrono::seconds(5);

// The engine's JSON is untrusted: a field of another type reads as absent, never throws.
std::string text_field(const nlohmann::json& object, const char* key) {
  if (!object.is_object()) return {};
  const auto field = object.find(key);
  return field != object.end() && field->is_string() ? field->get<std::string>() : std::string();
}

std::string first_name(const nlohmann::json& entry) {
  const auto names = entry.find("Names");
  if (names == entry.end() || !names->is_array() || names->empty() || !(*names)[0].is_string()) return {};
  return (*names)[0].get<std::string>();
}

void publish(events::Bus& bus, std::string eventid, std::string session, std::string message,
             nlohmann::json fields) {
  events::Event event;
  event.eventid = std::move(eventid);
  event.connection.session = std::move(session);
  event.message = std::move(message);
  event.fields = std::move(fields);
  bus.publish(event);
}

}  // namespace

RetentionSettings RetentionSettings::from(const config::Config& config) {
  RetentionSettings out;
  out.sensor = config.server.sensor_name;
  out.keep_days = config.container_pool.cleanup_stopped_after_days;
  out.max_kept_containers = config.retention.max_kept_containers;
  out.max_data_bytes = static_cast<std::uint64_t>(std::max<int64_t>(0, config.retention.max_data_bytes));
  out.recording_dir = config.recording.output_dir;
  if (config.artifacts.enabled) out.artifact_dir = config.artifacts.output_dir;
  out.export_before_removal = config.retention.export_before_removal;
  out.export_dir = config.retention.export_dir;
  out.export_cap_bytes = export_cap(static_cast<std::uint64_t>(
      std::max<int64_t>(0, config.container_pool.security.disk_limit_bytes)));
  return out;
}

asio::awaitable<Result<std::vector<StoppedContainer>>> Retention::list_stopped() {
  auto listed = co_await docker_.list_containers("hermes.sensor=" + settings_.sensor, true);
  if (!listed) co_return std::unexpected(std::move(listed.error()));
  std::vector<StoppedContainer> out;
  std::unordered_set<std::string> seen;
  for (const auto& entry : *listed) {
    if (!entry.is_object()) continue;
    const std::string state = text_field(entry, "State");
    if (state != "exited" && state != "dead") continue;
    const std::string name = first_name(entry);
    const std::string session = sandbox::session_of_container_name(settings_.sensor, name);
    const std::string id = text_field(entry, "Id");
    if (session.empty() || id.empty() || active_.is_active(session)) continue;
    seen.insert(id);
    // A sticky container (container_pool.sticky_window) stops again under its next session's
    // name: a remembered stop time is only good for the same session.
    if (const auto known = stop_times_.find(id); known != stop_times_.end() && known->second.session == session) {
      out.push_back(known->second);
      continue;
    }
    auto inspected = co_await docker_.inspect_container(id);
    if (!inspected) continue;  // gone meanwhile, or the engine hiccuped: next sweep
    const auto state_field = inspected->is_object() ? inspected->find("State") : inspected->end();
    const std::string finished_text =
        state_field != inspected->end() ? text_field(*state_field, "FinishedAt") : std::string();
    const auto finished = record::parse_iso8601(finished_text);
    if (!finished) continue;
    StoppedContainer container{id, name.substr(1), session, *finished, finished_text};
    stop_times_.insert_or_assign(id, container);
    out.push_back(std::move(container));
  }
  std::erase_if(stop_times_, [&](const auto& entry) { return !seen.contains(entry.first); });
  co_return out;
}

asio::awaitable<bool> Retention::export_first(const StoppedContainer& container, nlohmann::json& exported) {
  auto saved = co_await export_container_filesystem(docker_, container.id, container.session,
                                                    settings_.export_dir, settings_.export_cap_bytes);
  if (!saved) {
    if (saved.error().code == kExportTooLarge) {
      // Retrying cannot help and keeping it forever would defeat the cap: removed unexported.
      log::warn("retention", saved.error().message + "; removing " + container.name + " without an export");
      co_return true;
    }
    log::warn("retention", "cannot export " + container.name + ", keeping it for the next sweep: " +
                               saved.error().message);
    co_return false;
  }
  exported = saved->path;
  publish(bus_, "hermes.container.exported", container.session,
          "Exported the filesystem of container " + container.name + " to " + saved->path,
          {{"container_id", container.id},
           {"container_name", container.name},
           {"path", saved->path},
           {"size", saved->size},
           {"shasum", saved->shasum},
           {"tar_size", saved->tar_bytes}});
  co_return true;
}

asio::awaitable<bool> Retention::remove(const ContainerRemoval& removal) {
  const auto& container = removal.container;
  nlohmann::json exported = nullptr;
  if (settings_.export_before_removal) {
    const bool may_remove = co_await export_first(container, exported);
    if (!may_remove) co_return false;
  }
  auto gone = co_await docker_.remove_container(container.id, false);
  if (!gone) {
    log::warn("retention", "cannot remove " + container.name + ": " + gone.error().message);
    co_return false;
  }
  stop_times_.erase(container.id);
  const std::string why = removal.reason == RemovalReason::age
                              ? "stopped more than " + std::to_string(settings_.keep_days) + " days ago"
                              : "more than " + std::to_string(settings_.max_kept_containers) +
                                    " stopped containers kept";
  publish(bus_, "hermes.container.removed", container.session,
          "Removed stopped container " + container.name + ": " + why,
          {{"container_id", container.id},
           {"container_name", container.name},
           {"reason", reason_name(removal.reason)},
           {"stopped_at", container.stopped_at_text},
           {"export", exported}});
  co_return true;
}

asio::awaitable<int> Retention::sweep_containers(Clock::time_point now) {
  if (!settings_.limits_containers()) co_return 0;
  auto stopped = co_await list_stopped();
  if (!stopped) {
    log::warn("retention", "cannot list containers: " + stopped.error().message);
    co_return 0;
  }
  const auto keep = std::chrono::duration_cast<Clock::duration>(std::chrono::hours(24) * settings_.keep_days);
  const auto removals = select_container_removals(std::move(*stopped), now, keep, settings_.max_kept_containers);
  int removed = 0;
  for (const auto& removal : removals) {
    if (co_await remove(removal)) ++removed;
  }
  co_return removed;
}

int Retention::sweep_data() {
  if (settings_.max_data_bytes == 0) return 0;
  // Recordings and artifacts together: the cap is on the sum, the oldest last write goes first.
  auto units = scan_recordings(settings_.recording_dir);
  if (!units) {
    log::warn("retention", units.error().message);
    return 0;
  }
  if (!settings_.artifact_dir.empty()) {
    auto artifacts = scan_artifacts(settings_.artifact_dir);
    if (!artifacts) {
      log::warn("retention", artifacts.error().message);
      return 0;
    }
    units->insert(units->end(), std::make_move_iterator(artifacts->begin()), std::make_move_iterator(artifacts->end()));
  }
  const auto is_active = [this](const std::string& session) { return active_.is_active(session); };
  int removed = 0;
  for (const auto& unit : select_data_removals(std::move(*units), settings_.max_data_bytes, is_active)) {
    if (auto gone = remove_unit_files(unit); !gone) {
      log::warn("retention", gone.error().message);
      continue;
    }
    ++removed;
    if (unit.kind == kArtifactUnit) {
      const std::string& path = unit.paths.front();
      publish(bus_, "hermes.artifact.removed", "",
              "Removed the artifact " + path + " (" + std::to_string(unit.bytes) +
                  " bytes): recordings and artifacts exceeded retention.max_data_size",
              {{"path", path}, {"shasum", path.substr(path.rfind('/') + 1)}, {"size", unit.bytes},
               {"reason", reason_name(RemovalReason::size)}});
      continue;
    }
    const std::string cast = record::recording_path(settings_.recording_dir, unit.session);
    publish(bus_, "hermes.recording.removed", unit.session,
            "Removed the recording " + cast + " (" + std::to_string(unit.bytes) +
                " bytes): recordings exceeded retention.max_data_size",
            {{"ttylog", cast}, {"size", unit.bytes}, {"reason", reason_name(RemovalReason::size)}});
  }
  return removed;
}

asio::awaitable<SweepResult> Retention::sweep(Clock::time_point now) {
  SweepResult result;
  result.containers_removed = co_await sweep_containers(now);
  result.sessions_removed = sweep_data();
  if (result.containers_removed > 0 || result.sessions_removed > 0) {
    log::info("retention", "removed " + std::to_string(result.containers_removed) + " stopped containers and " +
                               std::to_string(result.sessions_removed) + " stored recordings or artifacts");
  }
  co_return result;
}

asio::awaitable<void> Retention::run(std::chrono::seconds interval) {
  if (!settings_.limits_anything()) co_return;
  asio::steady_timer timer(co_await asio::this_coro::executor);
  auto next_full = std::chrono::steady_clock::now();
  for (;;) {
    const bool sessions_ended = active_.collect_ended() > 0;
    if (sessions_ended || std::chrono::steady_clock::now() >= next_full) {
      if (!sessions_ended) next_full = std::chrono::steady_clock::now() + interval;
      try {
        co_await sweep(Clock::now());
      } catch (const std::exception& e) {  // an engine answer of an unexpected shape, say
        log::warn("retention", std::string("sweep failed: ") + e.what());
      }
    }
    timer.expires_after(kEndedCheckInterval);
    boost::system::error_code ec;
    co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return;  // cancelled: shutting down
  }
}

}  // namespace hermes::app
