#include "session/channel_bridge.hpp"

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>

#include "common/log.hpp"
#include "common/login_environment.hpp"
#include "common/session_line.hpp"
#include "sandbox/docker_responses.hpp"
#include "sandbox/stream_demuxer.hpp"
#include "session/exec_command_line.hpp"
#include "session/scp_observer.hpp"
#include "session/sftp_observer.hpp"
#include "ssh/bounded_text.hpp"

namespace hermes::session {

namespace {
constexpr std::size_t kMaxQueuedInput = 1 << 20;       // client bytes waiting for the container
constexpr std::size_t kOutputHighWater = 256 * 1024;   // container bytes waiting for the client
constexpr std::size_t kReadChunk = 64 * 1024;
constexpr std::size_t kMaxEnv = 64;
constexpr std::size_t kMaxTermName = 64;
constexpr int kMaxTerminalSide = 1000;  // absurd sizes are clamped, not refused
constexpr std::size_t kMaxLoggedRequests = 256;  // env + pty-req per channel
constexpr auto kResizeInterval = std::chrono::milliseconds(100);

int clamp_side(int v) { return std::clamp(v, 1, kMaxTerminalSide); }

// Debian's sshd_config has "AcceptEnv LANG LC_*": other variables are refused, as there.
bool accepted_env(const std::string& name) { return name == "LANG" || name.rfind("LC_", 0) == 0; }

// An event field cut to its bound says so, with the size the client sent.
void mark_truncation(nlohmann::json& fields, bool truncated, std::size_t sent_size) {
  if (!truncated) return;
  fields["truncated"] = true;
  fields["size"] = sent_size;
}

// The first sftp-server the image has (Debian/Ubuntu, Alpine, RHEL paths); none: exit 127, and
// the client sees its channel close, as with a broken Subsystem line in sshd_config.
constexpr std::string_view kSftpServerCommand =
    "for p in /usr/lib/openssh/sftp-server /usr/lib/ssh/sftp-server /usr/libexec/openssh/sftp-server "
    "/usr/libexec/sftp-server; do [ -x \"$p\" ] && exec \"$p\"; done; exit 127";

asio::awaitable<void> sleep_for(std::chrono::milliseconds d) {
  asio::steady_timer timer(co_await asio::this_coro::executor, d);
  boost::system::error_code ec;
  co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
}
}  // namespace

ChannelBridge::ChannelBridge(std::shared_ptr<Session> session, std::shared_ptr<ssh::Channel> channel)
    : session_(std::move(session)),
      channel_(channel),
      capture_(*session_),
      input_ready_(session_->executor()),
      writable_(session_->executor()) {}

bool ChannelBridge::on_pty_request(const std::string& term, int cols, int rows) {
  if (!within_request_budget("pty-req") || started_) return false;
  pty_ = true;
  term_ = term.empty() ? "xterm" : term.substr(0, kMaxTermName);
  cols_ = clamp_side(cols);
  rows_ = clamp_side(rows);
  publish_size();
  return true;
}

void ChannelBridge::publish_size() {
  session_->publish("hermes.client.size", "Terminal Size: " + std::to_string(cols_) + " " + std::to_string(rows_),
                    {{"width", cols_}, {"height", rows_}});
}

bool ChannelBridge::within_request_budget(const char* request) {
  if (++requests_ <= kMaxLoggedRequests) return true;
  if (!flood_reported_) {
    flood_reported_ = true;
    session_->publish("hermes.client.request_flood",
                      std::string("Request flood on one channel: ") + request + " and later requests refused unlogged",
                      {{"request", request}, {"limit", kMaxLoggedRequests}});
  }
  return false;
}

void ChannelBridge::on_window_change(int cols, int rows) {
  if (closed_) return;
  pending_size_ = std::pair{clamp_side(cols), clamp_side(rows)};
  if (!resize_cooling_down_) apply_pending_size();
}

void ChannelBridge::apply_pending_size() {
  if (!pending_size_ || closed_) return;
  const auto [cols, rows] = *pending_size_;
  pending_size_.reset();
  if (cols == cols_ && rows == rows_) return;
  cols_ = cols;
  rows_ = rows;
  publish_size();
  if (pty_) {
    session_->record_resize(cols_, rows_);
    resize_container(cols_, rows_);
  }
  resize_cooling_down_ = true;
  asio::co_spawn(session_->executor(), [self = shared_from_this()]() -> asio::awaitable<void> {
    co_await sleep_for(kResizeInterval);
    self->resize_cooling_down_ = false;
    self->apply_pending_size();
  }, asio::detached);
}

void ChannelBridge::resize_container(int cols, int rows) {
  if (container_id_.empty() && exec_id_.empty()) return;  // applied when the process starts
  resize_wanted_ = std::pair{cols, rows};
  if (resize_in_flight_) return;  // the request in flight sends this one after it
  resize_in_flight_ = true;
  asio::co_spawn(session_->executor(), [self = shared_from_this()]() -> asio::awaitable<void> {
    co_await self->send_resizes();
  }, asio::detached);
}

asio::awaitable<void> ChannelBridge::send_resizes() {
  auto& docker = session_->services().docker;
  while (resize_wanted_) {
    const auto [cols, rows] = *resize_wanted_;
    resize_wanted_.reset();
    // if/else, not a ternary around the co_awaits: GCC 12 miscompiles that form (a failed
    // resize logged a garbled message, then glibc aborted on a double free).
    Result<void> r;
    if (target_ == Target::init_shell) {
      r = co_await docker.resize_container(container_id_, cols, rows);
    } else {
      r = co_await docker.resize_exec(exec_id_, cols, rows);
    }
    if (!r) log::debug("session", "resize failed: " + r.error().message);
  }
  resize_in_flight_ = false;
}

bool ChannelBridge::on_env(const std::string& name, const std::string& value) {
  if (!within_request_budget("env")) return false;
  const auto logged_name = ssh::bound_text(name, ssh::kMaxRequestText);
  const auto logged_value = ssh::bound_text(value, ssh::kMaxRequestText);
  nlohmann::json fields{{"name", logged_name.text}, {"value", logged_value.text}};
  const bool truncated = logged_name.truncated || logged_value.truncated;
  mark_truncation(fields, truncated, name.size() + value.size());
  session_->publish("hermes.client.var", "request_env: " + logged_name.text + "=" + logged_value.text, std::move(fields));
  // A value too long to log is too long to pass on (and would not fit hermes-init's line).
  if (truncated || !accepted_env(name) || env_.size() >= kMaxEnv || started_) return false;
  env_.emplace_back(name, value);
  return true;
}

bool ChannelBridge::on_shell() {
  if (started_) return false;
  // Only an interactive terminal becomes the pool container's waiting login; a shell without a
  // pty (scripts piped to `ssh -T`) gets plain pipes, as sshd gives it.
  const bool use_init = pty_ && session_->claim_init_shell();
  // Bots often pipe commands into a shell without a pty: those lines are commands too.
  capture_.watch_typed_lines();
  start(use_init ? Target::init_shell : Target::exec, std::string());
  return true;
}

bool ChannelBridge::on_exec(const std::string& command) {
  if (started_) return false;
  // The command runs as sent; the event keeps its first kMaxRequestText bytes.
  const auto logged = ssh::bound_text(command, ssh::kMaxRequestText);
  nlohmann::json fields{{"input", logged.text}, {"mode", "exec"}};
  mark_truncation(fields, logged.truncated, logged.original_size);
  session_->publish("hermes.command.input", "CMD: " + logged.text, std::move(fields));
  if (auto scp = parse_scp_command(command)) capture_.watch_transfers(std::make_unique<ScpObserver>(*scp));
  start(Target::exec, command);
  return true;
}

bool ChannelBridge::on_subsystem(const std::string& name) {
  // Only sftp, as Debian's sshd_config has it; served by the container's own sftp-server.
  if (started_ || name != "sftp") return false;
  session_->publish("hermes.client.subsystem", "Subsystem request: " + name, {{"name", name}});
  pty_ = false;  // the packets are binary: never through a terminal
  capture_.watch_transfers(std::make_unique<SftpObserver>());
  start(Target::exec, std::string(kSftpServerCommand));
  return true;
}

void ChannelBridge::start(Target target, std::string command) {
  started_ = true;
  target_ = target;
  session_->recorder(cols_, rows_, term_);
  asio::co_spawn(session_->executor(),
                 [self = shared_from_this(), target, command = std::move(command)]() mutable {
                   return self->run(target, std::move(command));
                 },
                 asio::detached);
}

std::size_t ChannelBridge::on_data(std::string_view bytes) {
  if (closed_ || input_eof_) return bytes.size();  // nowhere to go: discard
  const std::size_t room = kMaxQueuedInput - std::min(kMaxQueuedInput, input_.size());
  const std::size_t taken = std::min(room, bytes.size());
  if (taken < bytes.size()) input_held_back_ = true;
  input_.append(bytes.substr(0, taken));
  session_->record_input(bytes.substr(0, taken));
  capture_.from_client(bytes.substr(0, taken));
  input_ready_.notify();
  return taken;
}

void ChannelBridge::on_eof() {
  input_eof_ = true;
  input_ready_.notify();
}

void ChannelBridge::on_closed() { shutdown(); }

void ChannelBridge::shutdown() {
  if (closed_) return;
  closed_ = true;
  capture_.finish();
  if (stream_) stream_->close();
  input_ready_.notify();
  writable_.notify();
}

void ChannelBridge::end_with_notice(const std::string& notice) {
  shutdown();
  auto channel = channel_.lock();
  if (!channel || !channel->is_open()) return;
  // wall writes to terminals only; a command without a pty just loses its channel.
  if (pty_) deliver_output(notice, false);
  channel->finish(std::nullopt);
}

bool ChannelBridge::channel_open() const {
  auto channel = channel_.lock();
  return channel && channel->is_open();
}

SessionStart ChannelBridge::session_start() const {
  const auto& info = session_->info();
  SessionStart start;
  start.user = session_->username();
  start.term = term_;
  start.cols = cols_;
  start.rows = rows_;
  start.client_ip = info.src_ip;
  start.client_port = info.src_port;
  start.server_ip = info.dst_ip;
  start.server_port = info.dst_port;
  start.env = env_;
  return start;
}

asio::awaitable<Result<std::unique_ptr<sandbox::HijackedStream>>> ChannelBridge::open_stream(
    const sandbox::Lease& lease, Target target, const std::string& command) {
  auto& docker = session_->services().docker;
  container_id_ = lease.container_id;
  if (target == Target::init_shell) {
    // Attached at lease time if it could be (session/early_attach.hpp), else now.
    std::optional<EarlyAttach::Stream> early = co_await session_->early_attach().take();
    if (!early) {
      std::string container_id = lease.container_id;  // named: GCC 12 and co_await temporaries
      early = co_await docker.attach_container(std::move(container_id));
    }
    EarlyAttach::Stream stream = std::move(*early);
    if (!stream) co_return std::unexpected(stream.error());
    const SessionStart start = session_start();
    auto written = co_await (*stream)->write_all(encode_session_line(start));
    if (!written) co_return std::unexpected(written.error());
    co_return stream;
  }
  // As sshd runs it: the user's shell, `-c CMD` for a command, a login shell otherwise, in the
  // user's home, with the environment a login gets (without SSH_TTY: the exec's pty name is
  // the engine's to choose).
  const std::string user = session_->username();
  const AccountLine account = co_await session_->login_account().get(docker, lease.container_id, user);
  const std::string shell = account.account.shell.empty() ? std::string("/bin/sh") : account.account.shell;
  // A pty command must start at the client's size (stty size, tput, a bot's size check): the
  // engine takes it with the exec from API 1.42 on; below, hermes-init's launcher sets it
  // (only where hermes-init said it has one: another init, or an older one, would not launch).
  const bool console_size = pty_ && docker.exec_takes_console_size();
  std::optional<LaunchSize> launch_size;
  if (pty_ && !console_size && session_->login_account().init_has_winsize_launcher())
    launch_size = LaunchSize{rows_, cols_};
  const std::vector<std::string> cmd = exec_command_line(shell, command, launch_size);
  const SessionStart start = session_start();
  const std::vector<std::string> env = build_login_environment(start, account.account, pty_, "");
  const std::string user_ids = std::to_string(account.account.uid) + ":" + std::to_string(account.account.gid);
  sandbox::Json spec{{"AttachStdin", true}, {"AttachStdout", true}, {"AttachStderr", true},
                     {"Tty", pty_},         {"Cmd", cmd},           {"Env", env},
                     {"User", user_ids},    {"WorkingDir", account.cwd}};
  if (console_size) spec["ConsoleSize"] = sandbox::Json::array({rows_, cols_});
  auto exec_id = co_await docker.create_exec(lease.container_id, spec);
  if (!exec_id) co_return std::unexpected(exec_id.error());
  exec_id_ = *exec_id;
  auto stream = co_await docker.start_exec(exec_id_, pty_);
  if (!stream) co_return std::unexpected(stream.error());
  // Still needed: a window change between create and start reached no running process. It
  // cannot undo the initial size: it carries the newest size, never 0x0, and the launcher leaves
  // a terminal the engine has already sized alone.
  if (pty_) resize_container(cols_, rows_);
  co_return stream;
}

asio::awaitable<void> ChannelBridge::run(Target target, std::string command) {
  auto finish_channel = [this](std::optional<int> status) {
    if (status) session_->set_exit_status(*status);
    if (auto channel = channel_.lock()) channel->finish(status);
  };
  auto lease = co_await session_->container();
  if (!lease || closed_) {
    finish_channel(lease ? std::nullopt : std::optional<int>(255));
    co_return;
  }
  auto stream = co_await open_stream(*lease, target, command);
  if (!stream) {
    // Docker's own words never reach the attacker; the operator log gets them.
    log::error("session", "session " + session_->info().session + ": " + stream.error().message);
    finish_channel(255);
    co_return;
  }
  stream_ = std::move(*stream);
  if (closed_) {
    stream_->close();
    co_return;
  }
  asio::co_spawn(session_->executor(), [self = shared_from_this()] { return self->pump_input(); },
                 asio::detached);

  const bool multiplexed = target == Target::exec && !pty_;
  sandbox::StreamDemuxer demuxer;
  std::vector<sandbox::StreamDemuxer::Chunk> chunks;
  while (!closed_) {
    auto channel = channel_.lock();
    if (!channel || !channel->is_open()) break;
    if (channel->queued_output() > kOutputHighWater) {
      channel.reset();
      co_await writable_.wait();
      continue;
    }
    channel.reset();
    auto bytes = co_await stream_->read_some(kReadChunk);
    if (!bytes || bytes->empty()) break;
    if (!multiplexed) {
      deliver_output(*bytes, false);
      continue;
    }
    chunks.clear();
    const bool ok = demuxer.feed(*bytes, chunks);
    for (const auto& chunk : chunks) deliver_output(chunk.data, chunk.stream == 2);
    if (!ok) {
      log::warn("session", "session " + session_->info().session + ": malformed exec stream");
      break;
    }
  }
  if (closed_) co_return;
  capture_.finish();
  finish_channel(co_await exit_status(*lease, target));
}

void ChannelBridge::deliver_output(std::string_view bytes, bool to_stderr) {
  session_->record_output(bytes);
  if (!to_stderr) capture_.from_server(bytes);
  if (auto channel = channel_.lock()) channel->write(bytes, to_stderr);
}

asio::awaitable<void> ChannelBridge::pump_input() {
  while (!closed_) {
    if (input_.empty() && input_held_back_) {
      input_held_back_ = false;
      if (auto channel = channel_.lock()) {
        std::string pulled;
        channel->read_pending_input(pulled, kMaxQueuedInput);
        session_->record_input(pulled);
        capture_.from_client(pulled);
        input_ += pulled;
      }
    }
    if (input_.empty()) {
      if (input_eof_) {
        stream_->shutdown_write();
        co_return;
      }
      co_await input_ready_.wait();
      continue;
    }
    std::string chunk;
    chunk.swap(input_);
    auto written = co_await stream_->write_all(std::move(chunk));
    if (!written) co_return;
  }
}

asio::awaitable<std::optional<int>> ChannelBridge::exit_status(const sandbox::Lease& lease, Target target) {
  auto& docker = session_->services().docker;
  // The process has closed its output; its exit code is final a moment later.
  for (int attempt = 0; attempt < 100 && !closed_; ++attempt) {
    if (target == Target::exec) {
      auto state = co_await docker.inspect_exec(exec_id_);
      if (!state) co_return std::nullopt;
      if (!state->running) co_return state->exit_code;
    } else {
      auto inspected = co_await docker.inspect_container(lease.container_id);
      if (!inspected) co_return std::nullopt;
      // The engine's JSON is checked field by field: a wrong type must not throw here.
      const auto state = sandbox::parse_container_state(*inspected);
      if (!state) co_return std::nullopt;
      if (!state->running) co_return state->exit_code;
    }
    co_await sleep_for(std::chrono::milliseconds(attempt < 10 ? 5 : 50));
  }
  co_return std::nullopt;
}

}  // namespace hermes::session
