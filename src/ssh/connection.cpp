#include "ssh/connection.hpp"

#include <fcntl.h>

#include <boost/asio/post.hpp>
#include <mutex>
#include <optional>
#include <utility>

#include "common/log.hpp"
#include "common/time.hpp"
#include "ssh/bounded_text.hpp"
#include "ssh/deferred_auth_reply.hpp"
#include "ssh/drain_close.hpp"
#include "ssh/identification.hpp"
#include "ssh/trace_addresses.hpp"

namespace hermes::ssh {

namespace {
Connection& self_of(void* p) { return *static_cast<Connection*>(p); }
// libssh reads at most 4 KiB per readiness event; drain in rounds, but yield to other
// connections on this thread after a bounded amount of work.
constexpr int kMaxPollRounds = 64;
// What bash prints when TMOUT expires (on a terminal, hence CR LF); the bell is bash's too.
constexpr std::string_view kAutoLogout = "\atimed out waiting for input: auto-logout\r\n";
// How long an ending connection waits for the client to take its last output and close.
constexpr auto kEndingDrainTime = std::chrono::seconds(2);

std::string_view limit_name(int limit) {
  static constexpr std::string_view names[] = {"login_grace_time", "idle_timeout", "session_timeout",
                                               "max_session_duration"};
  return names[limit];
}
// The close reason (hermes.session.closed) of each limit.
std::string_view limit_close_reason(int limit) {
  static constexpr std::string_view reasons[] = {"login grace time exceeded", "idle timeout",
                                                 "session time limit reached", "max session duration reached"};
  return reasons[limit];
}
}  // namespace

Connection::Connection(asio::any_io_executor executor, SessionPtr session, int fd,
                       events::ConnectionInfo info, const ConnectionSettings& settings,
                       events::Bus& bus, HandlerFactory handler_factory, Admission::Ticket ticket,
                       std::unique_ptr<KexCapture> kex_capture)
    : strand_(asio::make_strand(executor)),
      kex_capture_(std::move(kex_capture)),
      session_(std::move(session)),
      socket_(strand_, fd),
      grace_timer_(strand_),
      session_timer_(strand_),
      idle_timer_(strand_),
      reply_timer_(strand_),
      identification_timer_(strand_),
      info_(std::move(info)),
      settings_(settings),
      bus_(bus),
      handler_factory_(std::move(handler_factory)),
      auth_(*settings.credentials, settings.accept_all_after_failures, settings.honeytoken_credentials),
      ticket_(std::move(ticket)) {}

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
    self->arm_limit_timer(self->grace_timer_, self->settings_.login_grace_time, TimeLimit::login_grace_time);
    self->pump();
  });
}

void Connection::close(std::string reason) {
  asio::post(strand_, [self = shared_from_this(), reason = std::move(reason)] { self->do_close(reason); });
}

void Connection::install_server_callbacks() {
  server_callbacks_.userdata = this;
  server_callbacks_.auth_none_function = &Connection::cb_auth_none;
  server_callbacks_.auth_pubkey_function = &Connection::cb_auth_pubkey;
  server_callbacks_.channel_open_request_session_function = &Connection::cb_channel_open;
  ssh_callbacks_init(&server_callbacks_);
  ssh_set_server_callbacks(session_.get(), &server_callbacks_);
  ssh_set_message_callback(session_.get(), &Connection::cb_message, this);
  // What a stock OpenSSH server offers; keyboard-interactive is off in Debian's sshd_config.
  ssh_set_auth_methods(session_.get(), SSH_AUTH_METHOD_PASSWORD | SSH_AUTH_METHOD_PUBLICKEY);
}

void Connection::pump() {
  if (state_ == State::closed || pumping_) return;
  pumping_ = true;
  if (state_ == State::key_exchange) pump_key_exchange();
  // While a failure reply waits, libssh must not read (dopoll would take the next request).
  if (state_ == State::running && !reply_timer_running_) pump_events();
  pumping_ = false;
  if (!pending_disconnect_.empty() && state_ != State::closed) {
    // As sshd at MaxAuthTries: say why in an SSH disconnect, then drop the connection.
    const std::string message = std::exchange(pending_disconnect_, std::string());
    if (!failure_delay_enabled()) {
      do_close(message, message);
      return;
    }
    deferred_disconnect_ = message;  // after the PAM delay of this last attempt, as sshd
    schedule_deferred_reply();
  }
  if (state_ != State::closed) {
    reap_channels();
    if (!ending_reason_.empty()) finish_ending_when_drained();
  }
  if (state_ != State::closed) arm();
}

void Connection::pump_key_exchange() {
  if (!identification_judged_ && !judge_client_identification()) return;
  // On an IPv6 socket libssh's trace writer sees IPv4 addresses only inside this scope (it
  // asks for them on the trace's first packet, which a key-exchange call writes).
  std::optional<Ipv4TraceScope> trace_addresses;
  if (kex_capture_ && kex_capture_->needs_ipv4_scope()) trace_addresses.emplace(ssh_get_fd(session_.get()));
  const int rc = ssh_handle_key_exchange(session_.get());
  trace_addresses.reset();
  if (!version_sent_ && client_bytes_consumed(ssh_get_fd(session_.get()))) identification_judged_ = true;
  version_sent_ = true;
  note_key_exchange_progress(rc == SSH_OK);
  if (rc == SSH_AGAIN) return;
  if (rc != SSH_OK) {
    do_close(std::string("key exchange failed: ") + ssh_get_error(session_.get()));
    return;
  }
  event_.reset(ssh_event_new());
  if (!event_ || ssh_event_add_session(event_.get(), session_.get()) != SSH_OK) {
    do_close("cannot create libssh event");
    return;
  }
  state_ = State::running;
}

bool Connection::judge_client_identification() {
  // How often an unfinished first line is looked at again: its bytes stay unread (libssh must
  // not see them), so socket readiness cannot tell when more arrive.
  constexpr auto kIdentificationRecheck = std::chrono::milliseconds(100);
  const int fd = ssh_get_fd(session_.get());
  const std::optional<std::string> peeked = peek_first_bytes(fd);
  if (!peeked) {
    identification_judged_ = true;  // closed or failed: libssh notices it and says so
    return true;
  }
  const std::string& first = *peeked;
  switch (judge_identification(first)) {
    case Identification::ssh:
      if (!first.empty()) {
        identification_judged_ = true;
        return true;
      }
      // Nothing sent yet: the first key-exchange call sends the version line; later ones would
      // read bytes that must be judged first. One exception, while the client is still silent:
      // after a write, libssh queues its next packet until a poll of its own has seen the socket
      // writable. One more call lets it see that now (there is nothing to read), so our KEXINIT
      // goes out at once later instead of waiting behind the client's, where a key exchange
      // that fails (a scanner offering nothing we accept) would lose it: sshd always sends it.
      if (!version_sent_) return true;
      return (ssh_get_poll_flags(session_.get()) & SSH_WRITE_PENDING) != 0;
    case Identification::not_ssh_yet:
      if (!version_sent_) send_plain(fd, settings_.version_line);  // sshd sends it at once
      version_sent_ = true;
      identification_wait_ = true;
      identification_timer_.expires_after(kIdentificationRecheck);
      // A strong reference: while reading is paused, this wait is what keeps the connection
      // alive (do_close cancels it).
      identification_timer_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
        if (ec) return;
        self->identification_wait_ = false;
        self->pump();
      });
      return false;
    case Identification::not_ssh:
      if (!version_sent_) send_plain(fd, settings_.version_line);
      consume_first_line(fd, first);
      send_plain(fd, kInvalidIdentificationReply);
      drain_on_close_ = true;
      do_close("invalid SSH identification string");
      return false;
  }
  return false;
}

void Connection::pump_events() {
  for (int round = 0; round < kMaxPollRounds && state_ == State::running; ++round) {
    const int rc = ssh_event_dopoll(event_.get(), 0);
    if (rc == SSH_ERROR) {
      do_close("connection lost");
      return;
    }
    if (rc != SSH_OK) break;  // nothing more to read right now
    if (reply_timer_running_) break;  // "busy in PAM": the next request waits for the reply
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
  if (!read_armed_ && !read_paused()) {
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

void Connection::do_close(const std::string& given_reason, const std::string& disconnect_message) {
  if (state_ == State::closed) return;
  // Once a time limit has fired, whatever ends the connection (the client closing, the drain
  // deadline) closes it for that limit.
  const std::string reason = ending_reason_.empty() ? given_reason : ending_reason_;
  if (state_ == State::key_exchange && session_) note_key_exchange_progress(true);
  state_ = State::closed;
  close_reason_ = reason;
  grace_timer_.cancel();
  session_timer_.cancel();
  idle_timer_.cancel();
  reply_timer_.cancel();
  identification_timer_.cancel();
  log::debug("ssh", "session " + info_.session + " closing: " + reason);
  // Channels first: ssh_disconnect frees the channels libssh still lists.
  for (auto& channel : channels_) channel->detach();
  channels_.clear();
  // Last words sent (a disconnect message, the answer to a non-SSH line): a second handle on
  // the socket outlives libssh's close, so the client can read them (ssh/drain_close.hpp).
  UniqueFd last_words;
  if ((drain_on_close_ || !disconnect_message.empty()) && socket_.is_open())
    last_words.reset(::fcntl(socket_.native_handle(), F_DUPFD_CLOEXEC, 0));
  if (session_ && ssh_is_connected(session_.get())) {
    // Best effort, without blocking: what fits in the socket buffer goes out.
    if (disconnect_message.empty()) {
      ssh_silent_disconnect(session_.get());
    } else {
      let_libssh_write_at_once();
      ssh_session_set_disconnect_message(session_.get(), disconnect_message.c_str());
      ssh_disconnect(session_.get());
    }
  }
  boost::system::error_code ignored;
  socket_.cancel(ignored);
  if (socket_.is_open()) socket_.release();
  event_.reset();
  session_.reset();  // closes the fd
  // Admission counts open TCP connections: a draining socket keeps its place until it closes.
  if (last_words) drain_then_close(strand_, std::move(last_words), std::move(ticket_));
  ticket_.release();
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

void Connection::let_libssh_write_at_once() {
  // libssh writes a packet at once only if its last poll saw the socket writable with nothing
  // queued; otherwise it queues the packet and waits for the next poll. ssh_disconnect queues
  // its message and closes the socket in the same call, so a message queued behind earlier
  // output (the shell's last prompt, a channel close) would never leave. Two polling rounds:
  // the first sends what is queued, the second sees the socket writable with nothing queued.
  // Nothing the client sends meanwhile reaches Hermes: the callbacks are taken away first, and
  // libssh answers any request with its default refusal.
  if (!event_) return;
  ssh_set_message_callback(session_.get(), nullptr, nullptr);
  static ssh_server_callbacks_struct no_callbacks = [] {
    ssh_server_callbacks_struct callbacks{};
    ssh_callbacks_init(&callbacks);
    return callbacks;
  }();
  ssh_set_server_callbacks(session_.get(), &no_callbacks);
  for (int round = 0; round < 2; ++round) {
    if (ssh_event_dopoll(event_.get(), 0) == SSH_ERROR) return;
  }
}

Connection::PasswordVerdict Connection::check_password(const std::string& username, const std::string& pass,
                                                       const char* method) {
  if (authenticated_) return PasswordVerdict::refused;
  if (auth_.is_honeytoken(username, pass)) {
    report_honeytoken({{"kind", "credential"}, {"username", username}, {"password", pass}},
                      "credential " + username + "/" + pass);
  }
  const bool ok = auth_.check_password(username, pass);
  nlohmann::json fields{{"username", username}, {"password", pass}, {"method", method}};
  if (try_login(username, pass, std::move(fields), "[" + username + "/" + pass + "]", ok)) {
    return PasswordVerdict::accepted;
  }
  deferred_user_ = username;  // whose PAM delay a held-back answer waits
  if (auth_.failures() >= settings_.max_auth_tries) {
    pending_disconnect_ = "Too many authentication failures";
    return PasswordVerdict::too_many_failures;
  }
  return PasswordVerdict::refused;
}

bool Connection::try_login(const std::string& username, const std::string& secret, nlohmann::json fields,
                           const std::string& attempt, bool allowed) {
  // A correct password still fails when no session can be served (capacity, no sandbox, no
  // disk space): the attacker sees an ordinary failure and may retry later.
  SessionOffer offer = allowed ? handler_factory_(shared_from_this()) : SessionOffer{};
  std::shared_ptr<SessionHandler> handler = std::move(offer.handler);
  if (!handler) {
    if (allowed) fields["reason"] = offer.refusal.empty() ? std::string("refused") : offer.refusal;
    publish("hermes.login.failed", "login attempt " + attempt + " failed", std::move(fields));
    return false;
  }
  publish("hermes.login.success", "login attempt " + attempt + " succeeded", std::move(fields));
  authenticated_ = true;
  username_ = username;
  grace_timer_.cancel();
  start_session_timers();
  handler_ = std::move(handler);
  handler_->on_authenticated(username, secret);
  return true;
}

// Password requests come here rather than to a server auth callback, because a server callback
// cannot withhold the reply: at max_auth_tries sshd answers the last wrong password with a
// disconnect and no failure, and so do we (the disconnect follows once libssh has returned).
// Keyboard-interactive, direct-tcpip channels and other requests libssh 0.10 has no server
// callback for come here too.
int Connection::cb_message(ssh_session, ssh_message message, void* p) {
  auto& self = self_of(p);
  const int type = ssh_message_type(message);
  const int subtype = ssh_message_subtype(message);
  if (type == SSH_REQUEST_AUTH && subtype == SSH_AUTH_METHOD_INTERACTIVE) return self.on_keyboard_interactive(message);
  if (type == SSH_REQUEST_CHANNEL_OPEN && subtype == SSH_CHANNEL_DIRECT_TCPIP) {
    return self.open_direct_tcpip(message) ? kMessageHandled : kMessageDefaultReply;
  }
  if (type != SSH_REQUEST_AUTH || subtype != SSH_AUTH_METHOD_PASSWORD) {
    self.log_refused_request(message);
    return kMessageDefaultReply;  // refused: failure, or "not supported" for a channel type
  }
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"  // still the only accessor in 0.10
  const char* password = ssh_message_auth_password(message);
#pragma GCC diagnostic pop
  const std::string username = bounded_text(ssh_message_auth_user(message), kMaxCredentialText);
  return self.answer_secret(message, self.check_password(username, bounded_text(password, kMaxCredentialText)));
}

// The one failure path of password and keyboard-interactive answers.
int Connection::answer_secret(ssh_message message, PasswordVerdict verdict) {
  switch (verdict) {
    case PasswordVerdict::accepted:
      ssh_message_auth_reply_success(message, 0);
      return kMessageHandled;
    case PasswordVerdict::too_many_failures:
      return kMessageHandled;  // no reply at all
    case PasswordVerdict::refused:
      if (defer_failure_reply(message)) return kMessageHandled;
      break;
  }
  return kMessageDefaultReply;  // libssh answers "failure" with our methods
}

bool Connection::defer_failure_reply(ssh_message message) {
  if (!failure_delay_enabled()) return false;
  if (!DeferredAuthReply::can_defer(session_.get(), message)) {
    static std::once_flag warned;
    std::call_once(warned, [] {
      log::warn("ssh", "this libssh's messages cannot be answered later: password failures are answered at once");
    });
    return false;
  }
  ++deferred_failures_;
  schedule_deferred_reply();
  return true;
}

void Connection::schedule_deferred_reply() {
  if (reply_timer_running_ || state_ == State::closed) return;
  reply_timer_running_ = true;
  reply_timer_.expires_after(settings_.failure_delay->next(deferred_user_));
  // A strong reference: while reading is paused, this wait is what keeps the connection alive
  // (do_close cancels it).
  reply_timer_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
    if (!ec) self->send_next_deferred_reply();
  });
}

void Connection::send_next_deferred_reply() {
  reply_timer_running_ = false;
  if (state_ == State::closed) return;
  if (deferred_failures_ > 0) {
    --deferred_failures_;
    DeferredAuthReply::send_failure(session_.get());
  } else if (!deferred_disconnect_.empty()) {
    const std::string message = std::exchange(deferred_disconnect_, std::string());
    do_close(message, message);
    return;
  }
  if (deferred_failures_ > 0 || !deferred_disconnect_.empty()) schedule_deferred_reply();
  pump();  // sends the reply and reads the client's next request
}

void Connection::start_session_timers() {
  const bool session_timeout_first = settings_.session_timeout <= settings_.max_session_duration;
  arm_limit_timer(session_timer_, std::min(settings_.session_timeout, settings_.max_session_duration),
                  session_timeout_first ? TimeLimit::session_timeout : TimeLimit::max_session_duration);
  last_activity_ = std::chrono::steady_clock::now();
  if (settings_.idle_timeout.count() > 0) arm_limit_timer(idle_timer_, settings_.idle_timeout, TimeLimit::idle_timeout);
}

void Connection::arm_limit_timer(asio::steady_timer& timer, std::chrono::steady_clock::duration wait, TimeLimit limit) {
  timer.expires_after(wait);
  timer.async_wait([weak = weak_from_this(), limit](boost::system::error_code ec) {
    if (ec) return;
    if (auto self = weak.lock()) self->on_timer(limit);
  });
}

void Connection::on_timer(TimeLimit limit) {
  if (state_ == State::closed || !ending_reason_.empty()) return;
  if (limit == TimeLimit::login_grace_time && authenticated_) return;
  if (limit == TimeLimit::idle_timeout) {
    // Activity only moves a timestamp; the timer sleeps again for whatever is left.
    const auto idle_for = std::chrono::steady_clock::now() - last_activity_;
    if (idle_for < settings_.idle_timeout) {
      arm_limit_timer(idle_timer_, settings_.idle_timeout - idle_for, TimeLimit::idle_timeout);
      return;
    }
  }
  end_for_time_limit(limit);
}

void Connection::end_for_time_limit(TimeLimit limit) {
  const int index = static_cast<int>(limit);
  const std::chrono::seconds seconds = limit == TimeLimit::login_grace_time ? settings_.login_grace_time
                                       : limit == TimeLimit::idle_timeout   ? settings_.idle_timeout
                                       : limit == TimeLimit::session_timeout ? settings_.session_timeout
                                                                             : settings_.max_session_duration;
  const std::string name(limit_name(index));
  publish("hermes.session.timeout", "Session ended by " + name + " after " + std::to_string(seconds.count()) + " s",
          {{"limit", name}, {"seconds", seconds.count()}});
  const std::string reason(limit_close_reason(index));
  switch (limit) {
    case TimeLimit::login_grace_time:
      do_close(reason);  // sshd closes silently at LoginGraceTime
      return;
    case TimeLimit::session_timeout:
    case TimeLimit::max_session_duration:
      do_close(reason, "Session time limit reached");
      return;
    case TimeLimit::idle_timeout:
      break;
  }
  // Idle: as bash's TMOUT, the shell says it logs out and its channel ends; the client closes
  // its side, then the connection ends (or after kEndingDrainTime if the client does not).
  ending_reason_ = reason;
  session_timer_.cancel();
  for (auto& channel : channels_) {
    if (channel->is_shell()) channel->write(kAutoLogout);
    channel->finish(std::nullopt);
  }
  idle_timer_.expires_after(kEndingDrainTime);
  idle_timer_.async_wait([weak = weak_from_this()](boost::system::error_code ec) {
    if (ec) return;
    if (auto self = weak.lock()) self->do_close(self->ending_reason_);
  });
  reap_channels();
  finish_ending_when_drained();
}

void Connection::finish_ending_when_drained() {
  if (!channels_.empty() || (session_ && (ssh_get_poll_flags(session_.get()) & SSH_WRITE_PENDING))) return;
  do_close(ending_reason_);
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
