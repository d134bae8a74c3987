#include "ssh/drop_reporter.hpp"

#include "common/log.hpp"
#include "common/time.hpp"

namespace hermes::ssh {

namespace asio = boost::asio;

DropReporter::DropReporter(asio::any_io_executor executor, events::Bus& bus)
    : strand_(asio::make_strand(executor)), timer_(strand_), bus_(bus) {}

void DropReporter::set_local(std::string ip, uint16_t port) {
  std::lock_guard lock(mutex_);
  local_ip_ = std::move(ip);
  local_port_ = port;
}

void DropReporter::dropped(const std::string& address, uint16_t port, AdmissionRefusal reason) {
  std::lock_guard lock(mutex_);
  auto recorded = tally_.record(address, port, reason, std::chrono::system_clock::now());
  if (recorded.report_now) publish(*recorded.report_now);
  if (recorded.window_opened) {
    timer_.expires_after(kWindow);
    timer_.async_wait([this](boost::system::error_code ec) {
      if (!ec) flush();
    });
  }
}

void DropReporter::flush() {
  std::lock_guard lock(mutex_);
  end_window();
}

void DropReporter::end_window() {
  if (!tally_.window_open()) return;
  std::string breakdown;
  for (const auto& [reason, n] : tally_.window_reasons()) {
    breakdown += (breakdown.empty() ? "" : ", ") + reason + " " + std::to_string(n);
  }
  log::warn("ssh", "admission dropped " + std::to_string(tally_.window_total()) + " connections in " +
                       std::to_string(kWindow.count()) + " s (" + breakdown + ")");
  for (const auto& summary : tally_.end_window()) publish(summary);
}

void DropReporter::publish(const DropSummary& summary) {
  events::ConnectionInfo info;  // no session: the connection never got that far
  info.src_ip = summary.address;
  info.src_port = summary.port;
  info.dst_ip = local_ip_;
  info.dst_port = local_port_;
  nlohmann::json fields{{"count", summary.count},
                        {"window_start", iso8601(summary.window_start)},
                        {"window_seconds", kWindow.count()}};
  std::string message;
  if (summary.address.empty()) {
    fields["reasons"] = summary.reasons;
    message = "Dropped " + std::to_string(summary.count) + " connections from further addresses";
  } else {
    const std::string reason(refusal_name(summary.reason));
    fields["reason"] = reason;
    message = "Dropped " + std::to_string(summary.count) + " connection" + (summary.count == 1 ? "" : "s") +
              " from " + summary.address + ": " + reason;
  }
  bus_.publish(events::make_event(info, "hermes.connection.dropped", std::move(message), std::move(fields)));
}

}  // namespace hermes::ssh
