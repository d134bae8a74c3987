#pragma once
// One authenticated attacker session: its container lease, its recording, its channels.
// Lives on its connection's strand. When the connection ends it finishes on its own: streams
// closed, recording finalised, container stopped and kept, sidecar and close events written.
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/async_signal.hpp"
#include "config/config.hpp"
#include "events/bus.hpp"
#include "record/asciicast_writer.hpp"
#include "sandbox/container_pool.hpp"
#include "sandbox/pool_set.hpp"
#include "sandbox/docker_client.hpp"
#include "session/disk_watch.hpp"
#include "session/early_attach.hpp"
#include "session/login_account.hpp"
#include "session/session_tracker.hpp"
#include "ssh/connection.hpp"

namespace hermes::session {

namespace asio = boost::asio;

struct Services {
  sandbox::DockerClient& docker;
  sandbox::PoolSet& pool;
  const config::Config& config;
  events::Bus& bus;
  SessionTracker& tracker;
};

class ChannelBridge;

class Session : public ssh::SessionHandler, public std::enable_shared_from_this<Session> {
 public:
  Session(Services services, std::shared_ptr<ssh::Connection> connection);
  ~Session() override;

  // ssh::SessionHandler
  void on_authenticated(const std::string& username, const std::string& password) override;
  std::unique_ptr<ssh::ChannelHandler> open_channel(const std::shared_ptr<ssh::Channel>& channel) override;
  void on_connection_closed(const std::string& reason) override;

  // For channel bridges (on the strand).
  asio::awaitable<Result<sandbox::Lease>> container();  // waits for the lease
  // The first interactive shell of a session takes over the pool container's waiting init;
  // later ones are exec'd. Returns true exactly once.
  bool claim_init_shell();
  // The stream to the waiting init, attached as soon as the container was leased.
  EarlyAttach& early_attach() { return early_attach_; }
  // The user exec channels run as (session/login_account.hpp), resolved once per session.
  LoginAccount& login_account() { return login_account_; }
  record::AsciicastWriter* recorder(int cols, int rows, const std::string& term);
  void record_output(std::string_view bytes);
  void record_input(std::string_view bytes);
  void record_resize(int cols, int rows);
  void set_exit_status(int status) { exit_status_ = status; }
  void publish(std::string eventid, std::string message, nlohmann::json fields = nlohmann::json::object());
  const std::string& username() const { return username_; }
  const events::ConnectionInfo& info() const { return info_; }
  Services& services() { return services_; }
  asio::any_io_executor executor() const { return executor_; }

 private:
  asio::awaitable<void> acquire_container();
  void start_disk_watch(const sandbox::Lease& lease);
  void on_disk_limit(int64_t size, int64_t limit);
  // Ends the session for a limit: the wall notice on every terminal, the container stopped at
  // once, then (after the client took its last bytes, at most a few seconds) the connection.
  asio::awaitable<void> end_for_limit(std::string reason);
  asio::awaitable<void> finish(std::string reason);
  void note_recording_truncation();
  void close_recording();

  Services services_;
  asio::any_io_executor executor_;  // the connection's strand
  std::weak_ptr<ssh::Connection> connection_;
  events::ConnectionInfo info_;
  std::string client_version_;
  std::string username_;
  std::chrono::system_clock::time_point start_ = std::chrono::system_clock::now();
  std::chrono::steady_clock::time_point start_steady_ = std::chrono::steady_clock::now();

  enum class LeaseState { none, pending, ready, failed };
  LeaseState lease_state_ = LeaseState::none;
  std::optional<sandbox::Lease> lease_;
  std::string lease_error_;
  AsyncSignal lease_signal_;
  bool init_shell_claimed_ = false;
  EarlyAttach early_attach_;
  LoginAccount login_account_;

  std::shared_ptr<DiskWatch> disk_watch_;
  bool container_stopped_ = false;
  std::string end_reason_;  // set when Hermes ends the session for a limit

  std::unique_ptr<record::AsciicastWriter> recorder_;
  bool recording_failed_ = false;
  bool recording_truncated_ = false;  // reported once, kept for the sidecar
  uint64_t output_unrecorded_ = 0, input_unrecorded_ = 0;
  uint64_t bytes_in_ = 0, bytes_out_ = 0;
  std::optional<int> exit_status_;
  std::vector<std::weak_ptr<ChannelBridge>> bridges_;
  bool finished_ = false;
};

}  // namespace hermes::session
