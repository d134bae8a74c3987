#pragma once
#include <functional>
// The SSH listener: accepts TCP with Asio, admits it (connection limits) before any SSH work,
// hands each admitted socket to libssh (ssh_bind_accept_fd) and to a Connection on its own
// strand. Host keys and the version string are set once on the bind.
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "config/config.hpp"
#include "events/bus.hpp"
#include "ssh/admission.hpp"
#include "ssh/connection.hpp"
#include "ssh/drop_reporter.hpp"
#include "ssh/host_keys.hpp"
#include "ssh/libssh_handles.hpp"

namespace hermes::ssh {

class Server {
 public:
  // Where each new connection lives (app::IoThreads spreads them over the worker threads).
  using ExecutorPicker = std::function<asio::any_io_executor()>;

  Server(asio::io_context& io, const config::Config& config, events::Bus& bus,
         Connection::HandlerFactory handler_factory, ExecutorPicker connection_executor);
  ~Server();

  // Serves `keys` (ssh::load_or_generate_host_keys), binds and listens. Errors name the address
  // or key file.
  Result<void> start(std::vector<HostKey> keys);
  // Stops accepting and closes every open connection (their sessions clean up on their own).
  void stop();
  std::size_t open_connections();
  asio::ip::tcp::endpoint local_endpoint() const;

 private:
  void accept_next();
  bool accept_queued();  // false when an error paused accepting
  void on_accept_error(const boost::system::error_code& ec);
  void on_accepted(asio::ip::tcp::socket socket);
  void refuse(asio::ip::tcp::socket& socket, const asio::ip::tcp::endpoint& remote, AdmissionRefusal reason);
  void forget_closed();

  asio::io_context& io_;
  const config::Config& config_;
  events::Bus& bus_;
  Connection::HandlerFactory handler_factory_;
  ExecutorPicker connection_executor_;
  BindPtr bind_;
  std::mutex bind_mutex_;  // ssh_bind_accept_fd copies keys out of the bind
  asio::ip::tcp::acceptor acceptor_;
  asio::steady_timer accept_pause_;  // after an accept error (EMFILE...), before trying again
  std::chrono::steady_clock::time_point last_accept_warning_{};
  Admission admission_;
  DropReporter drops_;
  CredentialTable credentials_;
  CredentialTable honeytoken_credentials_;
  KeyPolicy keys_;
  std::unique_ptr<FailureDelay> failure_delay_;  // set in start(): its secret comes from the host key
  ConnectionSettings settings_;
  std::mutex connections_mutex_;
  std::vector<std::weak_ptr<Connection>> connections_;
  std::atomic<bool> stopped_ = false;
};

}  // namespace hermes::ssh
