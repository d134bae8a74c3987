#include "session/artifact_capture.hpp"

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <algorithm>
#include <memory>

#include "common/log.hpp"
#include "init/tmpfs_preserve.hpp"
#include "record/artifact_store.hpp"
#include "sandbox/container_changes.hpp"
#include "session/artifact_fetch.hpp"
#include "session/artifact_plan.hpp"

namespace hermes::session {
namespace {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// One file's download never gets more than this, whatever is left of the whole budget.
constexpr milliseconds kMaxFetchTime{30000};
// Archive requests beyond the event cap: leaf directories cost a request but make no event.
constexpr std::size_t kExtraProbes = 64;
// Filenames in messages (the field keeps the whole name).
constexpr std::size_t kMessageName = 200;

milliseconds left_until(Clock::time_point deadline) {
  return std::max(milliseconds(0), std::chrono::duration_cast<milliseconds>(deadline - Clock::now()));
}

std::string short_name(const std::string& name) {
  return name.size() <= kMessageName ? name : name.substr(0, kMessageName) + "...";
}

// What one capture did, for the summary event.
struct Tally {
  std::size_t listed = 0, stored = 0, duplicates = 0, skipped = 0, unlisted = 0;
  std::uint64_t bytes = 0;
  std::size_t probes = 0;
};

class Capture {
 public:
  Capture(sandbox::DockerClient& docker, const config::ArtifactsConfig& config, std::string container_id,
          PublishFn publish, Clock::time_point deadline)
      : docker_(docker),
        config_(config),
        container_id_(std::move(container_id)),
        publish_(std::move(publish)),
        deadline_(deadline),
        store_(config.output_dir) {}

  asio::awaitable<void> run() {
    auto body = co_await docker_.container_changes(container_id_);
    if (!body) {
      summarise("change list: " + body.error().message);
      co_return;
    }
    auto changes = sandbox::parse_container_changes(*body);
    if (!changes) {
      summarise(changes.error().message);
      co_return;
    }
    body->clear();
    tally_.unlisted += changes->dropped;
    const auto plan = plan_artifacts(changes->entries, init::kPreserveStore);
    changes->entries.clear();
    for (const auto& file : plan) co_await take(file);
    summarise(deadline_passed_ ? "deadline passed" : "");
  }

  void summarise(const std::string& error) {
    nlohmann::json fields{{"files", tally_.listed},     {"stored", tally_.stored},
                          {"duplicates", tally_.duplicates}, {"skipped", tally_.skipped},
                          {"unlisted", tally_.unlisted}, {"bytes", tally_.bytes},
                          {"store", config_.output_dir}};
    std::string message = "Artifacts: " + std::to_string(tally_.listed) + " files listed, " +
                          std::to_string(tally_.stored) + " stored (" + std::to_string(tally_.bytes) + " bytes)";
    if (tally_.unlisted > 0) message += ", " + std::to_string(tally_.unlisted) + " more not listed";
    if (!error.empty()) {
      fields["error"] = error;
      message += "; " + error;
      log::warn("artifacts", "container " + container_id_.substr(0, 12) + ": " + error);
    }
    publish_("hermes.session.artifacts", std::move(message), std::move(fields));
  }

 private:
  std::size_t max_events() const { return static_cast<std::size_t>(std::max(0, config_.max_files)); }

  asio::awaitable<void> take(const PlannedFile& file) {
    if (tally_.listed >= max_events() || tally_.probes >= max_events() + kExtraProbes) {
      ++tally_.unlisted;
      co_return;
    }
    if (file.change == FileChange::deleted) {
      ++tally_.listed;
      publish_(std::string(file_event_id(file.change)), "File deleted: " + short_name(file.filename),
               {{"filename", file.filename}});
      co_return;
    }
    if (left_until(deadline_).count() == 0) {
      deadline_passed_ = true;
      ++tally_.unlisted;
      co_return;
    }
    ++tally_.probes;
    FetchCaps caps;
    caps.max_file_bytes = static_cast<std::uint64_t>(std::max<int64_t>(0, config_.max_file_bytes));
    const auto session_cap = static_cast<std::uint64_t>(std::max<int64_t>(0, config_.max_session_bytes));
    caps.session_capped = session_cap > 0;
    caps.session_bytes_left = session_cap > tally_.bytes ? session_cap - tally_.bytes : 0;
    const milliseconds timeout = std::min(kMaxFetchTime, left_until(deadline_));
    auto outcome = co_await fetch_artifact(docker_, container_id_, file.container_path, store_, caps, timeout);
    report(file, outcome);
  }

  void report(const PlannedFile& file, const FetchOutcome& outcome) {
    using Kind = FetchOutcome::Kind;
    if (outcome.kind == Kind::directory) return;
    ++tally_.listed;
    const std::string eventid(file_event_id(file.change));
    const std::string verb = file.change == FileChange::created ? "created" : "modified";
    nlohmann::json fields{{"filename", file.filename}};
    if (outcome.kind == Kind::stored) {
      ++tally_.stored;
      if (outcome.stored.duplicate) ++tally_.duplicates;
      tally_.bytes += outcome.stored.size;
      fields["size"] = outcome.stored.size;
      fields["shasum"] = outcome.stored.sha256;
      fields["duplicate"] = outcome.stored.duplicate;
      publish_(eventid, "File " + verb + ": " + short_name(file.filename) + " (" +
                            std::to_string(outcome.stored.size) + " bytes, sha256 " + outcome.stored.sha256 + ")",
               std::move(fields));
      return;
    }
    ++tally_.skipped;
    if (outcome.kind != Kind::failed) fields["size"] = outcome.size;
    fields["skipped"] = skipped_reason(outcome.kind);
    if (outcome.kind == Kind::failed)
      log::warn("artifacts", "container " + container_id_.substr(0, 12) + ": " + outcome.error);
    publish_(eventid, "File " + verb + ": " + short_name(file.filename) + " (not stored: " +
                          skipped_reason(outcome.kind) + ")",
             std::move(fields));
  }

  sandbox::DockerClient& docker_;
  const config::ArtifactsConfig& config_;
  std::string container_id_;
  PublishFn publish_;
  Clock::time_point deadline_;
  record::ArtifactStore store_;
  Tally tally_;
  bool deadline_passed_ = false;
};

}  // namespace

asio::awaitable<void> preserve_tmpfs(sandbox::DockerClient& docker, std::string container_id, milliseconds budget) {
  const sandbox::Json command = sandbox::Json::array({"/proc/1/exe", init::kPreserveFlag});
  sandbox::Json spec{{"AttachStdin", false}, {"AttachStdout", true}, {"AttachStderr", true},
                     {"Tty", false},         {"Cmd", command},       {"User", "0"},
                     {"WorkingDir", "/"}};
  auto exec_id = co_await docker.create_exec(container_id, spec);
  if (!exec_id) co_return;  // not running any more: hermes-init preserved on its own way out
  auto started = co_await docker.start_exec(*exec_id, false);
  if (!started) co_return;
  std::shared_ptr<sandbox::HijackedStream> stream(std::move(*started));
  // The exec ends by closing its output; past the budget the stream is closed and the container
  // is stopped anyway (a half-copied file is never under its real name).
  auto executor = co_await asio::this_coro::executor;
  auto watchdog = std::make_shared<asio::steady_timer>(executor, budget);
  watchdog->async_wait([weak = std::weak_ptr<sandbox::HijackedStream>(stream)](boost::system::error_code ec) {
    if (ec) return;
    if (auto open = weak.lock()) open->close();
  });
  for (;;) {
    auto bytes = co_await stream->read_some(4096);
    if (!bytes || bytes->empty()) break;
  }
  watchdog->cancel();
  stream->close();
}

asio::awaitable<void> capture_artifacts(sandbox::DockerClient& docker, const config::ArtifactsConfig& config,
                                        std::string container_id, PublishFn publish, Clock::time_point deadline,
                                        bool copy_files) {
  Capture capture(docker, config, std::move(container_id), std::move(publish), deadline);
  if (!copy_files) {
    capture.summarise("shutdown: files not copied; the stopped container is kept");
    co_return;
  }
  co_await capture.run();
}

}  // namespace hermes::session
