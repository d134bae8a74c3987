#include "session/session.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>

#include "common/log.hpp"
#include "common/time.hpp"
#include "record/session_metadata.hpp"
#include "session/channel_bridge.hpp"

namespace hermes::session {


Session::Session(Services services, std::shared_ptr<ssh::Connection> connection)
    : services_(services),
      executor_(connection->strand()),
      connection_(connection),
      info_(connection->info()),
      client_version_(connection->client_version()),
      lease_signal_(executor_) {}

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
  auto lease = co_await services_.pool.acquire(info_.session);
  if (lease) {
    lease_ = *lease;
    lease_state_ = LeaseState::ready;
    publish("hermes.container.attached", "Session attached to container " + lease->name,
            {{"container_id", lease->container_id},
             {"container_name", lease->name},
             {"image", lease->image}});
  } else {
    lease_state_ = LeaseState::failed;
    lease_error_ = lease.error().message;
    log::error("session", "session " + info_.session + ": no container: " + lease_error_);
  }
  lease_signal_.notify();
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
  auto writer = record::AsciicastWriter::open(record::recording_path(rec.output_dir, info_.session), header);
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
  if (recorder_) recorder_->output(bytes);
}

void Session::record_input(std::string_view bytes) {
  bytes_in_ += bytes.size();
  if (recorder_) recorder_->input(bytes);
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
  for (auto& weak : bridges_)
    if (auto bridge = weak.lock()) bridge->shutdown();
  while (lease_state_ == LeaseState::pending) co_await lease_signal_.wait();
  if (lease_) co_await services_.pool.release(*lease_);
  close_recording();

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
