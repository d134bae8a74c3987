#pragma once
// Turns admission refusals into `hermes.connection.dropped` events and a rate-limited operator
// warning, through a DropTally (bounded summaries per window). Safe to call from any thread.
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <mutex>
#include <string>

#include "events/bus.hpp"
#include "ssh/drop_tally.hpp"

namespace hermes::ssh {

class DropReporter {
 public:
  static constexpr std::chrono::seconds kWindow{10};
  static constexpr std::size_t kMaxPairsPerWindow = 32;

  DropReporter(boost::asio::any_io_executor executor, events::Bus& bus);

  // The address clients connected to (the listener's), for the events' dst fields.
  void set_local(std::string ip, uint16_t port);
  void dropped(const std::string& address, uint16_t port, AdmissionRefusal reason);
  // Reports what the open window holds now (shutdown).
  void flush();

 private:
  void publish(const DropSummary& summary);
  void end_window();

  boost::asio::strand<boost::asio::any_io_executor> strand_;
  boost::asio::steady_timer timer_;
  events::Bus& bus_;
  std::mutex mutex_;
  DropTally tally_{kWindow, kMaxPairsPerWindow};
  std::string local_ip_;
  uint16_t local_port_ = 0;
};

}  // namespace hermes::ssh
