#include "ssh/connection.hpp"

#include <boost/asio/post.hpp>
#include <utility>

#include "common/log.hpp"
#include "common/time.hpp"
#include "ssh/bounded_text.hpp"

namespace hermes::ssh {

namespace {
Connection& self_of(void* p) { return *static_cast<Connection*>(p); }
// libssh reads at most 4 KiB per readiness event; drain in rounds, but yield to other
// connections on this thread after a bounded amount of work.
constexpr int kMaxPollRounds = 64;

}  // namespace

Connection::Connection(asio::any_io_executor executor, SessionPtr session, int fd,
                       events::ConnectionInfo info, const ConnectionSettings& settings,
                       events::Bus& bus, HandlerFactory handler_factory)
    : strand_(asio::make_strand(executor)),
      session_(std::move(session)),
      socket_(strand_, fd),
      grace_timer_(strand_),
      session_timer_(strand_),
      info_(std::move(info)),
      settings_(settings),
      bus_(bus),
      handler_factory_(std::move(handler_factory)),
      auth_(*settings.credentials, settings.accept_all_after_failures) {}

Connection::~Connection() {
  // libssh owns the descriptor; Asio must not close it.
  if (socket_.is_open()) socket_.release();
}

void Connection::publish(std::string eventid, std::string message, nlohmann::json fields) {
  bus_.publish(events::make_event(info_, std::move(eventid), std::move(message), std::move(fields)));
}

void Connection::start() {
  asio::post(strand_, [self = shared_from_this()] {
    self->publish("hermes.session.connect",
                  "New connection: " + self->info_.src_ip + ":" + std::to_string(self->info_.src_port) +
                      " (" + self->info_.dst_ip + ":" + std::to_string(self->info_.dst_port) +
                      ") [session: " + self->info_.session + "]");
    self->install_server_callbacks();
    ssh_set_blocking(self->session_.get(), 0);
    self->grace_timer_.expires_after(self->settings_.login_grace_time);
    self->grace_timer_.async_wait([weak = self->weak_from_this()](boost::system::error_code ec) {
      if (ec) return;
      if (auto s = weak.lock(); s && !s->authenticated_) s->do_close("login grace time exceeded");
    });
    self->pump();
  });
}

void Connection::close(std::string reason) {
  asio::post(strand_, [self = shared_from_this(), reason = std::move(reason)] { self->do_close(reason); });
}

void Connection::install_server_callbacks() {
  server_callbacks_.userdata = this;
  server_callbacks_.auth_password_function = &Connection::cb_auth_password;
  server_callbacks_.auth_none_function = &Connection::cb_auth_none;
  server_callbacks_.auth_pubkey_function = &Connection::cb_auth_pubkey;
  server_callbacks_.channel_open_request_session_function = &Connection::cb_channel_open;
  ssh_callbacks_init(&server_callbacks_);
  ssh_set_server_callbacks(session_.get(), &server_callbacks_);
  // What a stock OpenSSH server offers; keyboard-interactive is off in Debian's sshd_config.
  ssh_set_auth_methods(session_.get(), SSH_AUTH_METHOD_PASSWORD | SSH_AUTH_METHOD_PUBLICKEY);
}

void Connection::pump() {
  if (state_ == State::closed || pumping_) return;
  pumping_ = true;
  if (state_ == State::key_exchange) pump_key_exchange();
  if (state_ == State::running) pump_events();
  pumping_ = false;
  if (!pending_disconnect_.empty() && state_ != State::closed) {
    // As sshd at MaxAuthTries: say why in an SSH disconnect, then drop the connection.
    ssh_session_set_disconnect_message(session_.get(), pending_disconnect_.c_str());
    ssh_disconnect(session_.get());
    do_close(std::exchange(pending_disconnect_, std::string()));
    return;
  }
  if (state_ != State::closed) {
    reap_channels();
    arm();
  }
}

void Connection::pump_key_exchange() {
  const int rc = ssh_handle_key_exchange(session_.get());
  if (rc == SSH_AGAIN) return;
  if (rc != SSH_OK) {
    do_close(std::string("key exchange failed: ") + ssh_get_error(session_.get()));
    return;
  }
  if (const char* banner = ssh_get_clientbanner(session_.get())) client_version_ = bounded_text(banner, kMaxCredentialText);
  publish("hermes.client.version", "Remote SSH version: " + client_version_,
          {{"version", client_version_}});
  event_.reset(ssh_event_new());
  if (!event_ || ssh_event_add_session(event_.get(), session_.get()) != SSH_OK) {
    do_close("cannot create libssh event");
    return;
  }
  state_ = State::running;
}

void Connection::pump_events() {
  for (int round = 0; round < kMaxPollRounds && state_ == State::running; ++round) {
    const int rc = ssh_event_dopoll(event_.get(), 0);
    if (rc == SSH_ERROR) {
      do_close("connection lost");
      return;
    }
    if (rc != SSH_OK) break;  // nothing more to read right now
  }
  if (state_ != State::running) return;
  const int status = ssh_get_status(session_.get());
  if (!ssh_is_connected(session_.get()) || (status & (SSH_CLOSED | SSH_CLOSED_ERROR))) {
    do_close("client disconnected");
    return;
  }
  for (auto& channel : channels_) channel->flush_output();
}

bool Connection::transport_lost() {
  return ssh_get_fd(session_.get()) == SSH_INVALID_SOCKET || !ssh_is_connected(session_.get()) ||
         (ssh_get_status(session_.get()) & (SSH_CLOSED | SSH_CLOSED_ERROR)) != 0;
}

void Connection::arm() {
  if (state_ == State::closed) return;
  // A write that fails (client gone mid-output) makes libssh close the socket itself; no
  // readiness event will ever come for it again, so the loss must be noticed here.
  if (state_ == State::running && transport_lost()) {
    if (!close_posted_) {
      close_posted_ = true;
      asio::post(strand_, [self = shared_from_this()] { self->do_close("connection lost"); });
    }
    return;
  }
  if (pumping_) return;
  if (!read_armed_) {
    read_armed_ = true;
    socket_.async_wait(asio::posix::stream_descriptor::wait_read,
                       [self = shared_from_this()](boost::system::error_code ec) {
                         self->read_armed_ = false;
                         if (!ec) self->pump();
                       });
  }
  if (!write_armed_ && (ssh_get_poll_flags(session_.get()) & SSH_WRITE_PENDING)) {
    write_armed_ = true;
    socket_.async_wait(asio::posix::stream_descriptor::wait_write,
                       [self = shared_from_this()](boost::system::error_code ec) {
                         self->write_armed_ = false;
                         if (!ec) self->pump();
                       });
  }
}

void Connection::reap_channels() {
  std::erase_if(channels_, [](const std::shared_ptr<Channel>& c) {
    if (!c->reapable()) return false;
    c->detach();
    return true;
  });
}

void Connection::do_close(const std::string& reason) {
  if (state_ == State::closed) return;
  state_ = State::closed;
  close_reason_ = reason;
  grace_timer_.cancel();
  session_timer_.cancel();
  log::debug("ssh", "session " + info_.session + " closing: " + reason);
  for (auto& channel : channels_) channel->detach();
  channels_.clear();
  if (session_ && ssh_is_connected(session_.get())) {
    // Best effort, without blocking: what fits in the socket buffer goes out.
    ssh_silent_disconnect(session_.get());
  }
  boost::system::error_code ignored;
  socket_.cancel(ignored);
  if (socket_.is_open()) socket_.release();
  event_.reset();
  session_.reset();  // closes the fd
  if (handler_) {
    handler_->on_connection_closed(reason);
    handler_.reset();
  } else {
    // Never authenticated: the connection's story ends here.
    const auto duration_ms = elapsed_ms(started_);
    publish("hermes.session.closed", "Connection closed before login: " + reason,
            {{"duration_ms", duration_ms}, {"exit_status", nullptr}, {"reason", reason}});
  }
}

int Connection::cb_auth_password(ssh_session, const char* user, const char* password, void* p) {
  auto& self = self_of(p);
  const std::string username = bounded_text(user, kMaxCredentialText);
  const std::string pass = bounded_text(password, kMaxCredentialText);
  if (self.authenticated_) return SSH_AUTH_DENIED;
  const bool ok = self.auth_.check_password(username, pass);
  nlohmann::json fields{{"username", username}, {"password", pass}};
  // A correct password still fails when no session can be served (capacity, no sandbox, no
  // disk space): the attacker sees an ordinary failure and may retry later.
  SessionOffer offer = ok ? self.handler_factory_(self.shared_from_this()) : SessionOffer{};
  std::shared_ptr<SessionHandler> handler = std::move(offer.handler);
  if (!handler) {
    if (ok) fields["reason"] = offer.refusal.empty() ? std::string("refused") : offer.refusal;
    self.publish("hermes.login.failed", "login attempt [" + username + "/" + pass + "] failed", fields);
    if (self.auth_.failures() >= self.settings_.max_auth_tries) {
      self.pending_disconnect_ = "Too many authentication failures";
    }
    return SSH_AUTH_DENIED;
  }
  self.publish("hermes.login.success", "login attempt [" + username + "/" + pass + "] succeeded", fields);
  self.authenticated_ = true;
  self.username_ = username;
  self.grace_timer_.cancel();
  self.session_timer_.expires_after(self.settings_.session_timeout);
  self.session_timer_.async_wait([weak = self.weak_from_this()](boost::system::error_code ec) {
    if (ec) return;
    if (auto s = weak.lock()) s->do_close("session time limit reached");
  });
  self.handler_ = std::move(handler);
  if (self.handler_) self.handler_->on_authenticated(username, pass);
  return SSH_AUTH_SUCCESS;
}

int Connection::cb_auth_none(ssh_session, const char*, void*) { return SSH_AUTH_DENIED; }

int Connection::cb_auth_pubkey(ssh_session, const char*, ssh_key_struct*, char, void*) {
  return SSH_AUTH_DENIED;
}

ssh_channel Connection::cb_channel_open(ssh_session session, void* p) {
  auto& self = self_of(p);
  if (!self.authenticated_ || !self.handler_ || self.channels_.size() >= self.settings_.max_channels) {
    return nullptr;
  }
  ChannelPtr handle(ssh_channel_new(session));
  if (!handle) return nullptr;
  ssh_channel raw = handle.get();
  auto channel = std::make_shared<Channel>(self, std::move(handle), self.next_channel_number_++);
  auto channel_handler = self.handler_->open_channel(channel);
  if (!channel_handler) {
    channel->detach();
    return nullptr;
  }
  channel->set_handler(std::move(channel_handler));
  self.channels_.push_back(std::move(channel));
  return raw;
}

}  // namespace hermes::ssh
