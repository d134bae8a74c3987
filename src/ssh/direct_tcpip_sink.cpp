#include "ssh/direct_tcpip_sink.hpp"

#include "ssh/connection.hpp"
#include "ssh/escaped_bytes.hpp"

namespace hermes::ssh {

DirectTcpipSink::DirectTcpipSink(Connection& connection, events::ConnectionInfo destination, int id)
    : connection_(connection.weak_from_this()), destination_(std::move(destination)), id_(id),
      timer_(connection.strand()) {}

DirectTcpipSink::~DirectTcpipSink() = default;

void DirectTcpipSink::start(const std::shared_ptr<Channel>& channel) {
  channel_ = channel;
  close_after(kLifetime);
}

void DirectTcpipSink::close_after(std::chrono::steady_clock::duration wait) {
  timer_.expires_after(wait);
  // The handler may outlive this sink (cancelled when it is destroyed): it holds the channel
  // weakly and reaches the sink only through the channel that owns it.
  timer_.async_wait([weak = channel_](boost::system::error_code ec) {
    if (ec) return;
    auto channel = weak.lock();
    if (!channel) return;
    if (auto* sink = dynamic_cast<DirectTcpipSink*>(channel->handler())) sink->report();
    channel->finish(std::nullopt);
  });
}

std::size_t DirectTcpipSink::on_data(std::string_view bytes) {
  if (received_ == 0 && !bytes.empty()) close_after(kAfterFirstData);
  received_ += bytes.size();
  if (!reported_) {
    kept_.append(bytes.substr(0, kMaxKeptBytes - kept_.size()));
    if (kept_.size() == kMaxKeptBytes) report();
  }
  return bytes.size();  // everything is taken: discarded, never forwarded
}

void DirectTcpipSink::on_eof() {
  report();
  if (auto channel = channel_.lock()) channel->finish(std::nullopt);
}

void DirectTcpipSink::on_closed() { report(); }

void DirectTcpipSink::report() {
  if (reported_ || received_ == 0) return;
  reported_ = true;
  auto connection = connection_.lock();
  if (!connection) return;
  const std::string target = destination_.dst_ip + ":" + std::to_string(destination_.dst_port);
  nlohmann::json fields{{"id", id_}, {"data", escape_bytes(kept_)}, {"size", kept_.size()}};
  if (received_ > kept_.size()) fields["truncated"] = true;
  connection->publish_request("hermes.direct-tcpip.data",
                              "discarded direct-tcp forward request " + std::to_string(id_) + " to " + target +
                                  " with " + std::to_string(kept_.size()) + " bytes of data",
                              std::move(fields), &destination_);
}

}  // namespace hermes::ssh
