#include "session/session.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <algorithm>

#include "common/log.hpp"
#include "common/time.hpp"
#include "record/session_metadata.hpp"
#include "session/artifact_capture.hpp"
#include "session/channel_bridge.hpp"
#include "session/wall_message.hpp"

namespace hermes::session {

namespace {
// How long a client ended for a limit gets to read the notice and close its channels.
constexpr auto kNoticeGrace = std::chrono::seconds(3);
constexpr auto kNoticePoll = std::chrono::milliseconds(50);
// Artifact capture at session end (docs/architecture.md): the tmpfs preservation exec in the
// running container, then copying files out of the stopped one. Both are bounded so that a
// session with a huge writable layer cannot hold its close events (or shutdown) for long.
constexpr auto kPreserveBudget = std::chrono::seconds(5);
constexpr auto kCaptureBudget = std::chrono::seconds(60);
}  // namespace

Session::Session(Services services, std::shared_ptr<ssh::Connection> connection)
    : services_(services),
      executor_(connection->strand()),
      connection_(connection),
      info_(connection->info()),
      client_version_(connection->client_version()),
      lease_signal_(executor_),
      early_attach_(executor_),
      login_account_(executor_) {}

Session::~Session() = default;

void Session::publish(std::string eventid, std::string message, nlohmann::json fields) {
  services_.bus.publish(events::make_event(info_, std::move(eventid), std::move(message), std::move(fields)));
}

void Session::on_authenticated(const std::string& username, const std::string&) {
  username_ = username;
  // Take the container now rather than at the first channel request: by the time the client
  // asks for a shell, its process is already waiting.
  lease_state_ = LeaseState::pending;
  asio::co_spawn(executor_, [self = shared_from_this()] { return self->acquire_container(); },
                 asio::detached);
}

asio::awaitable<void> Session::acquire_container() {
  std::string session = info_.session;  // named: no temporaries inside co_await (GCC 12)
  std::string source_ip = info_.src_ip;
  auto lease = co_await services_.pool.acquire(std::move(session), std::move(source_ip));
  if (lease) {
    lease_ = *lease;
    lease_state_ = LeaseState::ready;
    nlohmann::json fields{{"container_id", lease->container_id},
                          {"container_name", lease->name},
                          {"image", lease->image},
                          {"profile", lease->profile},
                          {"reused", lease->reused}};
    if (lease->reused) fields["previous_session"] = lease->previous_session;
    publish("hermes.container.attached", "Session attached to container " + lease->name, std::move(fields));
    if (!finished_) start_disk_watch(*lease);
  } else {
    lease_state_ = LeaseState::failed;
    lease_error_ = lease.error().message;
    log::error("session", "session " + info_.session + ": no container: " + lease_error_);
  }
  lease_signal_.notify();
  if (lease && !finished_) {
    std::string container_id = lease->container_id;  // named: GCC 12 and co_await temporaries
    co_await early_attach_.run(services_.docker, std::move(container_id));
  }
}

void Session::start_disk_watch(const sandbox::Lease& lease) {
  const auto& security = services_.config.container_pool.security;
  if (security.disk_limit_bytes <= 0) return;
  auto on_exceeded = [weak = weak_from_this()](int64_t size, int64_t limit) {
    if (auto self = weak.lock()) self->on_disk_limit(size, limit);
  };
  disk_watch_ = std::make_shared<DiskWatch>(executor_, services_.docker, lease.container_id,
                                            security.disk_limit_bytes,
                                            std::chrono::seconds(security.disk_check_interval),
                                            std::move(on_exceeded));
  disk_watch_->start();
}

void Session::on_disk_limit(int64_t size, int64_t limit) {
  if (finished_ || !end_reason_.empty()) return;
  end_reason_ = "disk limit exceeded";
  publish("hermes.session.disk_limit",
          "Disk limit exceeded: " + std::to_string(size) + " bytes written, limit " + std::to_string(limit),
          {{"size", size}, {"limit", limit}});
  asio::co_spawn(executor_, [self = shared_from_this()] { return self->end_for_limit(self->end_reason_); },
                 asio::detached);
}

asio::awaitable<void> Session::end_for_limit(std::string reason) {
  const std::string notice =
      reboot_broadcast(services_.config.container_pool.hostname, std::chrono::system_clock::now());
  for (auto& weak : bridges_)
    if (auto bridge = weak.lock()) bridge->end_with_notice(notice);
  // Stop the container before waiting on the client: its processes must not go on writing.
  if (lease_ && !container_stopped_ && !finished_) {
    container_stopped_ = true;
    // Over a limit: not handed back to a returning attacker.
    const auto reuse = sandbox::PoolSet::Reuse::never;
    co_await services_.pool.release(*lease_, reuse);
  }
  asio::steady_timer timer(executor_);
  const auto deadline = std::chrono::steady_clock::now() + kNoticeGrace;
  auto any_open = [this] {
    return std::any_of(bridges_.begin(), bridges_.end(), [](const std::weak_ptr<ChannelBridge>& weak) {
      auto bridge = weak.lock();
      return bridge && bridge->channel_open();
    });
  };
  while (!finished_ && any_open() && std::chrono::steady_clock::now() < deadline) {
    timer.expires_after(kNoticePoll);
    boost::system::error_code ec;
    co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  }
  if (auto connection = connection_.lock()) connection->close(reason);
}

asio::awaitable<Result<sandbox::Lease>> Session::container() {
  while (lease_state_ == LeaseState::pending) co_await lease_signal_.wait();
  if (lease_state_ == LeaseState::ready) co_return *lease_;
  co_return fail(lease_error_.empty() ? "no container for this session" : lease_error_);
}

bool Session::claim_init_shell() {
  if (init_shell_claimed_) return false;
  init_shell_claimed_ = true;
  return true;
}

std::unique_ptr<ssh::ChannelHandler> Session::open_channel(const std::shared_ptr<ssh::Channel>& channel) {
  if (finished_) return nullptr;
  auto bridge = std::make_shared<ChannelBridge>(shared_from_this(), channel);
  std::erase_if(bridges_, [](const std::weak_ptr<ChannelBridge>& w) { return w.expired(); });
  bridges_.push_back(bridge);
  return std::make_unique<ChannelBridgeHandler>(std::move(bridge));
}

record::AsciicastWriter* Session::recorder(int cols, int rows, const std::string& term) {
  const auto& rec = services_.config.recording;
  if (recorder_ || recording_failed_ || !rec.enabled || finished_) return recorder_.get();
  record::AsciicastHeader header;
  header.width = cols;
  header.height = rows;
  header.term = term;
  header.timestamp = start_;
  const auto max_bytes = static_cast<uint64_t>(std::max<int64_t>(0, rec.max_bytes_bytes));
  auto writer =
      record::AsciicastWriter::open(record::recording_path(rec.output_dir, info_.session), header, max_bytes);
  if (!writer) {
    recording_failed_ = true;
    log::error("record", "session " + info_.session + ": " + writer.error().message);
    return nullptr;
  }
  recorder_ = std::move(*writer);
  return recorder_.get();
}

void Session::record_output(std::string_view bytes) {
  bytes_out_ += bytes.size();
  if (!recorder_) return;
  recorder_->output(bytes);
  note_recording_truncation();
}

void Session::record_input(std::string_view bytes) {
  bytes_in_ += bytes.size();
  if (!recorder_) return;
  recorder_->input(bytes);
  note_recording_truncation();
}

void Session::note_recording_truncation() {
  // One event per session, however long the flood goes on: the event log must not grow with it.
  if (recording_truncated_ || !recorder_->truncated()) return;
  recording_truncated_ = true;
  publish("hermes.recording.truncated",
          "Recording truncated at its limit of " + std::to_string(recorder_->max_bytes()) + " bytes: " +
              recorder_->path(),
          {{"ttylog", recorder_->path()}, {"limit", recorder_->max_bytes()}});
}

void Session::record_resize(int cols, int rows) {
  if (recorder_) recorder_->resize(cols, rows);
}

void Session::on_connection_closed(const std::string& reason) {
  asio::co_spawn(executor_, [self = shared_from_this(), reason] { return self->finish(reason); },
                 asio::detached);
}

void Session::close_recording() {
  if (!recorder_) return;
  recorder_->close();
  output_unrecorded_ = recorder_->output_bytes_unrecorded();
  input_unrecorded_ = recorder_->input_bytes_unrecorded();
  const auto duration_ms = elapsed_ms(start_steady_);
  const std::string& path = recorder_->path();
  publish("hermes.log.closed", "Closing TTY Log: " + path + " after " + std::to_string(duration_ms) + " ms",
          {{"ttylog", path}, {"size", recorder_->bytes_written()}, {"shasum", recorder_->sha256()},
           {"duration_ms", duration_ms}});
  recorder_.reset();
}

asio::awaitable<void> Session::finish(std::string reason) {
  if (finished_) co_return;
  finished_ = true;
  if (!end_reason_.empty()) reason = end_reason_;  // Hermes ended it; the connection's view is secondary
  if (disk_watch_) disk_watch_->stop();
  for (auto& weak : bridges_)
    if (auto bridge = weak.lock()) bridge->shutdown();
  while (lease_state_ == LeaseState::pending) co_await lease_signal_.wait();
  const bool capture = lease_ && services_.config.artifacts.enabled;
  if (lease_ && !container_stopped_) {
    container_stopped_ = true;
    if (capture) co_await preserve_tmpfs(services_.docker, lease_->container_id, kPreserveBudget);
    const auto reuse = sandbox::PoolSet::Reuse::allowed;
    co_await services_.pool.release(*lease_, reuse);
  }
  close_recording();
  if (capture) {
    const auto deadline = std::chrono::steady_clock::now() + kCaptureBudget;
    PublishFn publish_fn = [this](std::string eventid, std::string message, nlohmann::json fields) {
      publish(std::move(eventid), std::move(message), std::move(fields));
    };
    const bool copy_files = !services_.tracker.shutting_down();
    co_await capture_artifacts(services_.docker, services_.config.artifacts, lease_->container_id,
                               std::move(publish_fn), deadline, copy_files);
  }

  const auto end = std::chrono::system_clock::now();
  const auto duration_ms = elapsed_ms(start_steady_);
  if (services_.config.recording.enabled) {
    record::SessionMetadata meta;
    meta.session = info_.session;
    meta.src_ip = info_.src_ip;
    meta.src_port = info_.src_port;
    meta.dst_ip = info_.dst_ip;
    meta.dst_port = info_.dst_port;
    meta.username = username_;
    if (lease_) {
      meta.container_id = lease_->container_id;
      meta.container_name = lease_->name;
      meta.image = lease_->image;
    }
    meta.start = start_;
    meta.end = end;
    meta.exit_status = exit_status_;
    meta.bytes_in = bytes_in_;
    meta.bytes_out = bytes_out_;
    meta.truncated = recording_truncated_;
    meta.bytes_out_unrecorded = output_unrecorded_;
    meta.bytes_in_unrecorded = input_unrecorded_;
    meta.recording = record::recording_path(services_.config.recording.output_dir, info_.session);
    meta.client_version = client_version_;
    auto written = record::write_session_metadata(
        record::metadata_path(services_.config.recording.output_dir, info_.session), meta);
    if (!written) log::error("record", "session " + info_.session + ": " + written.error().message);
  }
  nlohmann::json fields{{"duration_ms", duration_ms}, {"reason", reason}};
  fields["exit_status"] = exit_status_ ? nlohmann::json(*exit_status_) : nlohmann::json(nullptr);
  publish("hermes.session.closed", "Connection lost after " + std::to_string(duration_ms / 1000) + " seconds",
          fields);
  services_.tracker.release();
}

}  // namespace hermes::session
