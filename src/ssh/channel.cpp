#include "ssh/channel.hpp"

#include <algorithm>
#include <boost/asio/post.hpp>

#include "ssh/bounded_text.hpp"
#include "ssh/connection.hpp"

namespace hermes::ssh {

namespace {
Channel& self_of(void* p) { return *static_cast<Channel*>(p); }
}  // namespace

Channel::Channel(Connection& connection, ChannelPtr handle, int number)
    : connection_(&connection), handle_(std::move(handle)), number_(number) {
  install_callbacks();
}

Channel::~Channel() = default;

void Channel::install_callbacks() {
  callbacks_.userdata = this;
  callbacks_.channel_data_function = &Channel::cb_data;
  callbacks_.channel_eof_function = &Channel::cb_eof;
  callbacks_.channel_close_function = &Channel::cb_close;
  callbacks_.channel_signal_function = &Channel::cb_signal;
  callbacks_.channel_auth_agent_req_function = &Channel::cb_auth_agent;
  callbacks_.channel_pty_request_function = &Channel::cb_pty_request;
  callbacks_.channel_shell_request_function = &Channel::cb_shell;
  callbacks_.channel_exec_request_function = &Channel::cb_exec;
  callbacks_.channel_env_request_function = &Channel::cb_env;
  callbacks_.channel_subsystem_request_function = &Channel::cb_subsystem;
  callbacks_.channel_pty_window_change_function = &Channel::cb_window_change;
  callbacks_.channel_write_wontblock_function = &Channel::cb_write_wontblock;
  ssh_callbacks_init(&callbacks_);
  ssh_set_channel_callbacks(handle_.get(), &callbacks_);
}

void Channel::set_handler(std::unique_ptr<ChannelHandler> handler) { handler_ = std::move(handler); }

void Channel::write(std::string_view bytes, bool to_stderr) {
  if (!is_open() || finishing_ || bytes.empty()) return;
  if (!queue_.empty() && queue_.back().to_stderr == to_stderr) {
    queue_.back().bytes.append(bytes);
  } else {
    queue_.push_back(Chunk{std::string(bytes), to_stderr});
  }
  queued_bytes_ += bytes.size();
  if (connection_ != nullptr) connection_->note_activity();
  flush_output();
}

void Channel::finish(std::optional<int> exit_status) {
  if (!is_open() || finishing_) return;
  finishing_ = true;
  exit_status_ = exit_status;
  flush_output();
}

void Channel::flush_output() {
  if (!is_open()) return;
  const std::size_t before = queued_bytes_;
  while (!queue_.empty()) {
    Chunk& chunk = queue_.front();
    const auto size = static_cast<uint32_t>(std::min<std::size_t>(chunk.bytes.size(), 1 << 20));
    const int n = chunk.to_stderr ? ssh_channel_write_stderr(handle_.get(), chunk.bytes.data(), size)
                                  : ssh_channel_write(handle_.get(), chunk.bytes.data(), size);
    if (n < 0) {  // channel or connection broken: nothing more can go out
      queue_.clear();
      queued_bytes_ = 0;
      break;
    }
    if (n == 0) break;  // client's window is shut; write_wontblock resumes us
    chunk.bytes.erase(0, static_cast<std::size_t>(n));
    queued_bytes_ -= static_cast<std::size_t>(n);
    if (chunk.bytes.empty()) queue_.pop_front();
  }
  if (connection_ != nullptr) connection_->output_queued();
  if (queue_.empty() && finishing_ && !sent_close_) {
    if (exit_status_) ssh_channel_request_send_exit_status(handle_.get(), *exit_status_);
    ssh_channel_send_eof(handle_.get());
    ssh_channel_close(handle_.get());
    sent_close_ = true;
    if (connection_ != nullptr) connection_->output_queued();
  }
  if (before >= kLowWater && queued_bytes_ < kLowWater && handler_ && !finishing_) {
    handler_->on_writable();
  }
}

std::size_t Channel::read_pending_input(std::string& out, std::size_t max) {
  if (!is_open()) return 0;
  std::string buf(std::min<std::size_t>(max, 64 * 1024), '\0');
  const int n = ssh_channel_read_nonblocking(handle_.get(), buf.data(), static_cast<uint32_t>(buf.size()), 0);
  if (n <= 0) return 0;
  out.append(buf.data(), static_cast<std::size_t>(n));
  return static_cast<std::size_t>(n);
}

bool Channel::reapable() const {
  return handle_ == nullptr || (closed_ && sent_close_);
}

void Channel::mark_closed() {
  if (closed_) return;
  closed_ = true;
  queue_.clear();
  queued_bytes_ = 0;
  if (handle_ && !sent_close_) {
    ssh_channel_close(handle_.get());
    sent_close_ = true;
  }
  if (handler_) handler_->on_closed();
}

void Channel::detach() {
  mark_closed();
  connection_ = nullptr;
  if (handle_) ssh_remove_channel_callbacks(handle_.get(), &callbacks_);
  handle_.reset();
}

int Channel::cb_data(ssh_session, ssh_channel, void* data, uint32_t len, int is_stderr, void* p) {
  auto& self = self_of(p);
  if (self.connection_ != nullptr) self.connection_->note_activity();
  if (!self.handler_ || self.closed_ || is_stderr) return static_cast<int>(len);  // discard
  return static_cast<int>(self.handler_->on_data(std::string_view(static_cast<const char*>(data), len)));
}

void Channel::cb_eof(ssh_session, ssh_channel, void* p) {
  auto& self = self_of(p);
  if (self.handler_) self.handler_->on_eof();
}

void Channel::cb_close(ssh_session, ssh_channel, void* p) { self_of(p).mark_closed(); }

void Channel::cb_signal(ssh_session, ssh_channel, const char* signal, void* p) {
  auto& self = self_of(p);
  const std::string name = bounded_text(signal, kMaxRequestText);
  if (self.connection_ != nullptr) {
    self.connection_->publish_request("hermes.client.signal", "signal " + name + " requested on channel " +
                                      std::to_string(self.number_), {{"signal", name}, {"channel", self.number_}});
  }
  if (self.handler_) self.handler_->on_signal(name);
}

// Agent forwarding is never set up: the request (sent without want-reply by OpenSSH) is only
// logged, and no agent channel is ever opened towards the client.
void Channel::cb_auth_agent(ssh_session, ssh_channel, void* p) {
  auto& self = self_of(p);
  if (self.connection_ == nullptr) return;
  self.connection_->publish_request("hermes.client.agent", "agent forwarding request refused",
                                    {{"channel", self.number_}});
}

int Channel::cb_pty_request(ssh_session, ssh_channel, const char* term, int w, int h, int, int, void* p) {
  auto& self = self_of(p);
  return self.handler_ && self.handler_->on_pty_request(bounded_text(term, kMaxRequestText), w, h) ? 0 : -1;
}

int Channel::cb_shell(ssh_session, ssh_channel, void* p) {
  auto& self = self_of(p);
  self.shell_ = self.handler_ && self.handler_->on_shell();
  return self.shell_ ? 0 : -1;
}

// Exec commands and env values reach the handler whole (libssh refuses packets over 256 KiB, so
// they are bounded there): a command must run as sent, and the session layer decides what of it
// is logged, with an explicit truncation marker.
int Channel::cb_exec(ssh_session, ssh_channel, const char* command, void* p) {
  auto& self = self_of(p);
  return self.handler_ && self.handler_->on_exec(command ? std::string(command) : std::string()) ? 0 : -1;
}

int Channel::cb_env(ssh_session, ssh_channel, const char* name, const char* value, void* p) {
  auto& self = self_of(p);
  const std::string env_name = name ? name : "";
  const std::string env_value = value ? value : "";
  return self.handler_ && self.handler_->on_env(env_name, env_value) ? 0 : -1;
}

int Channel::cb_subsystem(ssh_session, ssh_channel, const char* name, void* p) {
  auto& self = self_of(p);
  return self.handler_ && self.handler_->on_subsystem(bounded_text(name, kMaxRequestText)) ? 0 : -1;
}

int Channel::cb_window_change(ssh_session, ssh_channel, int w, int h, int, int, void* p) {
  auto& self = self_of(p);
  if (self.handler_) self.handler_->on_window_change(w, h);
  return 0;
}

int Channel::cb_write_wontblock(ssh_session, ssh_channel, uint32_t, void* p) {
  // The client opened its window. Resume writing after libssh's packet handling has returned
  // rather than re-entering ssh_channel_write from inside it.
  auto& self = self_of(p);
  if (self.connection_ == nullptr) return 0;
  asio::post(self.connection_->strand(), [weak = self.weak_from_this()] {
    if (auto channel = weak.lock()) channel->flush_output();
  });
  return 0;
}

}  // namespace hermes::ssh
