#pragma once
// Joins one SSH session channel to a process in the session's container: the pool container's
// waiting init (first interactive shell, attached), or an exec (commands, later shells).
// Output flows container -> channel with backpressure from the client's window; input flows
// channel -> container with a bounded queue. All on the connection's strand.
#include <boost/asio/awaitable.hpp>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/async_signal.hpp"
#include "common/session_line.hpp"
#include "sandbox/docker_client.hpp"
#include "session/channel_capture.hpp"
#include "session/session.hpp"
#include "ssh/channel.hpp"

namespace hermes::session {

class ChannelBridge : public std::enable_shared_from_this<ChannelBridge> {
 public:
  ChannelBridge(std::shared_ptr<Session> session, std::shared_ptr<ssh::Channel> channel);

  bool on_pty_request(const std::string& term, int cols, int rows);
  void on_window_change(int cols, int rows);
  bool on_env(const std::string& name, const std::string& value);
  bool on_shell();
  bool on_exec(const std::string& command);
  bool on_subsystem(const std::string& name);
  std::size_t on_data(std::string_view bytes);
  void on_eof();
  void on_writable() { writable_.notify(); }
  void on_closed();
  // The session is ending: stop moving bytes.
  void shutdown();
  // Hermes ends the session (a limit): stop moving bytes, show `notice` on a terminal channel
  // (it is recorded, as the attacker saw it), then close the channel once it has gone out.
  void end_with_notice(const std::string& notice);
  bool channel_open() const;

 private:
  enum class Target { none, init_shell, exec };
  void start(Target target, std::string command);
  asio::awaitable<void> run(Target target, std::string command);
  asio::awaitable<Result<std::unique_ptr<sandbox::HijackedStream>>> open_stream(
      const sandbox::Lease& lease, Target target, const std::string& command);
  asio::awaitable<void> pump_input();
  asio::awaitable<std::optional<int>> exit_status(const sandbox::Lease& lease, Target target);
  void deliver_output(std::string_view bytes, bool to_stderr);
  // Requests a client may repeat at will (env, pty-req) are logged up to a budget per channel;
  // beyond it they are refused unlogged, and one hermes.client.request_flood event says so.
  bool within_request_budget(const char* request);
  // Window changes are coalesced: an unchanged size is ignored, and after one is applied
  // (event, recording, container) the next waits kResizeInterval, taking the latest size then.
  void apply_pending_size();
  void publish_size();  // hermes.client.size with the current cols_/rows_
  void resize_container(int cols, int rows);
  asio::awaitable<void> send_resizes();
  SessionStart session_start() const;  // who, from where, terminal and env, as far as known

  std::shared_ptr<Session> session_;
  std::weak_ptr<ssh::Channel> channel_;
  // Request state
  bool pty_ = false;
  std::string term_ = "xterm";
  int cols_ = 80, rows_ = 24;
  std::optional<std::pair<int, int>> pending_size_;  // latest window change not applied yet
  bool resize_cooling_down_ = false;
  // The engine's size requests go one at a time, so that an older size never lands after a
  // newer one (each is its own connection, and the first waits for the process to start).
  std::optional<std::pair<int, int>> resize_wanted_;
  bool resize_in_flight_ = false;
  std::size_t requests_ = 0;
  bool flood_reported_ = false;
  std::vector<std::pair<std::string, std::string>> env_;
  bool started_ = false;
  Target target_ = Target::none;
  std::string exec_id_;
  std::string container_id_;
  ChannelCapture capture_;  // typed lines, transferred files
  // Streams
  std::unique_ptr<sandbox::HijackedStream> stream_;
  std::string input_;          // client bytes not yet written to the container
  bool input_eof_ = false;     // client sent EOF
  bool input_held_back_ = false;  // we refused bytes; libssh holds them
  bool closed_ = false;
  AsyncSignal input_ready_;
  AsyncSignal writable_;
};

// The ssh::ChannelHandler that libssh's channel owns; forwards to a shared bridge whose
// coroutines may outlive the channel.
class ChannelBridgeHandler : public ssh::ChannelHandler {
 public:
  explicit ChannelBridgeHandler(std::shared_ptr<ChannelBridge> bridge) : bridge_(std::move(bridge)) {}
  bool on_pty_request(const std::string& term, int cols, int rows) override { return bridge_->on_pty_request(term, cols, rows); }
  void on_window_change(int cols, int rows) override { bridge_->on_window_change(cols, rows); }
  bool on_env(const std::string& name, const std::string& value) override { return bridge_->on_env(name, value); }
  bool on_shell() override { return bridge_->on_shell(); }
  bool on_exec(const std::string& command) override { return bridge_->on_exec(command); }
  bool on_subsystem(const std::string& name) override { return bridge_->on_subsystem(name); }
  std::size_t on_data(std::string_view bytes) override { return bridge_->on_data(bytes); }
  void on_eof() override { bridge_->on_eof(); }
  void on_writable() override { bridge_->on_writable(); }
  void on_closed() override { bridge_->on_closed(); }

 private:
  std::shared_ptr<ChannelBridge> bridge_;
};

}  // namespace hermes::session
