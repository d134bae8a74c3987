#pragma once
// A direct-tcpip channel (ssh -L, ssh -D) that is accepted but never connected anywhere: it
// keeps the first bytes the client sends for one hermes.direct-tcpip.data event, discards the
// rest, and closes the channel a short while later (the client may close it first).
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

#include "events/event.hpp"
#include "ssh/channel.hpp"

namespace hermes::ssh {

class DirectTcpipSink : public ChannelHandler {
 public:
  static constexpr std::size_t kMaxKeptBytes = 4096;
  // Closed this long after it was opened, or this long after its first bytes, whichever first.
  static constexpr auto kLifetime = std::chrono::seconds(10);
  static constexpr auto kAfterFirstData = std::chrono::seconds(2);

  // `destination` is the connection's info with dst_ip/dst_port set to the requested target.
  DirectTcpipSink(Connection& connection, events::ConnectionInfo destination, int id);
  ~DirectTcpipSink() override;
  void start(const std::shared_ptr<Channel>& channel);

  bool on_pty_request(const std::string&, int, int) override { return false; }
  void on_window_change(int, int) override {}
  bool on_env(const std::string&, const std::string&) override { return false; }
  bool on_shell() override { return false; }
  bool on_exec(const std::string&) override { return false; }
  bool on_subsystem(const std::string&) override { return false; }
  std::size_t on_data(std::string_view bytes) override;
  void on_eof() override;
  void on_closed() override;

 private:
  void report();
  void close_after(std::chrono::steady_clock::duration wait);

  std::weak_ptr<Connection> connection_;
  events::ConnectionInfo destination_;
  int id_;
  std::weak_ptr<Channel> channel_;
  boost::asio::steady_timer timer_;
  std::string kept_;
  std::size_t received_ = 0;
  bool reported_ = false;
};

}  // namespace hermes::ssh
