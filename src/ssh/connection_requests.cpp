// Connection: forwarding and other requests a honeypot logs but never carries out. direct-tcpip
// channels are accepted into a sink (nothing is ever connected); tcpip-forward and X11 are
// refused. Agent requests and signals arrive on channels (channel.cpp).
#include "ssh/bounded_text.hpp"
#include "ssh/connection.hpp"
#include "ssh/direct_tcpip_sink.hpp"

namespace hermes::ssh {

namespace {
constexpr int kMaxForwardChannels = 16;  // direct-tcpip channels accepted per connection, in all

uint16_t port_or_zero(int port) { return port >= 0 && port <= 65535 ? static_cast<uint16_t>(port) : 0; }
}  // namespace

bool Connection::open_direct_tcpip(ssh_message message) {
  if (!authenticated_ || !handler_ || state_ != State::running) return false;
  events::ConnectionInfo destination = info_;
  destination.dst_ip = bounded_text(ssh_message_channel_request_open_destination(message), kMaxCredentialText);
  const int requested_port = ssh_message_channel_request_open_destination_port(message);
  destination.dst_port = port_or_zero(requested_port);
  const std::string orig_ip = bounded_text(ssh_message_channel_request_open_originator(message), kMaxCredentialText);
  const int orig_port = ssh_message_channel_request_open_originator_port(message);
  const bool accept = forward_channels_ < kMaxForwardChannels && channels_.size() < settings_.max_channels;
  nlohmann::json fields{{"orig_ip", orig_ip}, {"orig_port", port_or_zero(orig_port)}, {"accepted", accept}};
  if (destination.dst_port != requested_port) fields["requested_port"] = requested_port;
  if (accept) fields["id"] = forward_channels_;
  publish_request("hermes.direct-tcpip.request",
                  "direct-tcp connection request to " + destination.dst_ip + ":" + std::to_string(destination.dst_port) +
                      " from " + orig_ip + ":" + std::to_string(orig_port),
                  std::move(fields), &destination);
  if (!accept) return false;
  ssh_channel raw = ssh_message_channel_request_open_reply_accept(message);
  if (raw == nullptr) return true;  // the confirmation could not be sent; nothing more to do
  const int id = forward_channels_++;
  auto channel = std::make_shared<Channel>(*this, ChannelPtr(raw), next_channel_number_++);
  auto sink = std::make_unique<DirectTcpipSink>(*this, std::move(destination), id);
  DirectTcpipSink& started = *sink;
  channel->set_handler(std::move(sink));
  started.start(channel);
  channels_.push_back(std::move(channel));
  return true;
}

void Connection::log_refused_request(ssh_message message) {
  const int type = ssh_message_type(message);
  const int subtype = ssh_message_subtype(message);
  if (type == SSH_REQUEST_GLOBAL && subtype == SSH_GLOBAL_REQUEST_TCPIP_FORWARD) {
    const std::string address = bounded_text(ssh_message_global_request_address(message), kMaxCredentialText);
    const int port = ssh_message_global_request_port(message);
    publish_request("hermes.tcpip-forward.request",
                    "remote forwarding request for " + address + ":" + std::to_string(port) + " refused",
                    {{"bind_ip", address}, {"bind_port", port}});
  } else if (type == SSH_REQUEST_CHANNEL && subtype == SSH_CHANNEL_REQUEST_X11) {
    publish_request("hermes.client.x11", "X11 forwarding request refused", nlohmann::json::object());
  }
}

}  // namespace hermes::ssh
