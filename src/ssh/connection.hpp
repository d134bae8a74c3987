#pragma once
// One attacker's TCP connection driven through libssh without blocking a thread: the socket's
// readiness (Asio) wakes the libssh poll loop on the connection's strand. Key exchange, password
// authentication by policy, and session channels handed to the session layer.
#include <libssh/callbacks.h>

#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/any_io_executor.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <unordered_set>
#include <vector>

#include "events/bus.hpp"
#include "ssh/admission.hpp"
#include "ssh/auth_policy.hpp"
#include "ssh/channel.hpp"
#include "ssh/failure_delay.hpp"
#include "ssh/kex_capture.hpp"
#include "ssh/libssh_handles.hpp"
#include "ssh/offered_key.hpp"

namespace hermes::ssh {

namespace asio = boost::asio;

class Connection;

// What serves an authenticated connection: the session layer implements it.
class SessionHandler {
 public:
  virtual ~SessionHandler() = default;
  virtual void on_authenticated(const std::string& username, const std::string& password) = 0;
  // A new session channel; return nullptr to refuse it.
  virtual std::unique_ptr<ChannelHandler> open_channel(const std::shared_ptr<Channel>& channel) = 0;
  // The connection has ended (all channels already told). Cleanup may go on asynchronously.
  virtual void on_connection_closed(const std::string& reason) = 0;
};

// What the session layer answers to a correct password: a handler, or why no session can be
// served now (the attacker sees an ordinary failure; the reason goes into the login.failed event).
struct SessionOffer {
  std::shared_ptr<SessionHandler> handler;
  std::string refusal;  // e.g. "capacity", "sandbox unavailable", "disk space"; empty with a handler
};

struct ConnectionSettings {
  const CredentialTable* credentials = nullptr;
  const CredentialTable* honeytoken_credentials = nullptr;  // log in, and raise hermes.honeytoken
  const KeyPolicy* keys = nullptr;                          // null: every key is refused
  int accept_all_after_failures = 3;
  std::chrono::seconds login_grace_time{120};
  // Absolute, from authentication; the shorter one applies, and the event names it.
  std::chrono::seconds session_timeout{3600};
  std::chrono::seconds max_session_duration{3600};
  std::chrono::seconds idle_timeout{0};  // no channel input or output for this long; 0: never
  int max_auth_tries = 6;  // failed passwords before the connection is dropped
  // When a wrong password's failure reply (and the disconnect after the last one) goes out;
  // nullptr or disabled: at once. Owned by the server.
  const FailureDelay* failure_delay = nullptr;
  // The server's version line with CR LF, for the rare case Hermes must send it before libssh.
  std::string version_line = "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u10\r\n";
  std::size_t max_channels = 10;
};

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  using HandlerFactory = std::function<SessionOffer(const std::shared_ptr<Connection>&)>;

  // Takes ownership of `session` (already bound to the accepted socket by ssh_bind_accept_fd)
  // and of the admission ticket, released when the TCP connection ends. `kex_capture` (may be
  // null) is the session's key-exchange trace, attached before ssh_bind_accept_fd.
  Connection(asio::any_io_executor executor, SessionPtr session, int fd,
             events::ConnectionInfo info, const ConnectionSettings& settings, events::Bus& bus,
             HandlerFactory handler_factory, Admission::Ticket ticket,
             std::unique_ptr<KexCapture> kex_capture = nullptr);
  ~Connection();

  void start();
  // Ends the connection from outside (shutdown, limits); safe from any thread.
  void close(std::string reason);

  const events::ConnectionInfo& info() const { return info_; }
  const std::string& username() const { return username_; }
  const std::string& client_version() const { return client_version_; }
  asio::strand<asio::any_io_executor>& strand() { return strand_; }
  events::Bus& bus() { return bus_; }
  void publish(std::string eventid, std::string message, nlohmann::json fields = nlohmann::json::object());
  // Requests a client may repeat at will (forwarding, agent, X11, signals, none, keys): logged
  // up to kMaxLoggedRequests per connection, then one hermes.client.request_flood and silence.
  // `about` replaces the connection's addresses (direct-tcpip events name the destination).
  void publish_request(std::string eventid, std::string message, nlohmann::json fields,
                       const events::ConnectionInfo* about = nullptr);
  static constexpr int kMaxLoggedRequests = 256;

  // For channels: output was queued; make sure the socket gets written.
  void output_queued() { arm(); }
  // For channels: data went in or out; the idle limit counts from the last of these.
  void note_activity() { last_activity_ = std::chrono::steady_clock::now(); }
  bool closed() const { return state_ == State::closed; }

 private:
  enum class State { key_exchange, running, closed };
  enum class TimeLimit { login_grace_time, idle_timeout, session_timeout, max_session_duration };
  enum class PasswordVerdict { accepted, refused, too_many_failures };

  void pump();
  void pump_key_exchange();
  void pump_events();
  void arm();
  bool transport_lost();  // libssh saw the socket fail or close
  void reap_channels();
  // `disconnect_message` non-empty: an SSH disconnect says it before the socket closes.
  void do_close(const std::string& reason, const std::string& disconnect_message = std::string());
  void install_server_callbacks();
  // Password and keyboard-interactive answers: one policy, one failure path.
  PasswordVerdict check_password(const std::string& username, const std::string& password,
                                 const char* method = "password");
  // Publishes login.success or login.failed and, when allowed and a session can be served,
  // opens it. `attempt` is the "[user/secret]" of the event's message.
  bool try_login(const std::string& username, const std::string& secret, nlohmann::json fields,
                 const std::string& attempt, bool allowed);
  // Replies to a password or keyboard-interactive answer as decided.
  int answer_secret(ssh_message message, PasswordVerdict verdict);
  void report_honeytoken(nlohmann::json fields, const std::string& what);
  bool read_past_client_version();  // libssh has read bytes beyond the client's version line
  void note_key_exchange_progress(bool last);
  void note_offered_key(const std::string& username, const OfferedKey& key, bool honeytoken);
  int on_keyboard_interactive(ssh_message message);
  bool open_direct_tcpip(ssh_message message);
  void log_refused_request(ssh_message message);
  void start_session_timers();
  void arm_limit_timer(asio::steady_timer& timer, std::chrono::steady_clock::duration wait, TimeLimit limit);
  void on_timer(TimeLimit limit);
  void end_for_time_limit(TimeLimit limit);
  void finish_ending_when_drained();
  // Failure replies held back as the persona's PAM delay (failure_delay.hpp); while one is
  // pending nothing more is read from the client, as sshd reads nothing while PAM sleeps.
  bool failure_delay_enabled() const { return settings_.failure_delay && settings_.failure_delay->enabled(); }
  bool defer_failure_reply(ssh_message message);
  void schedule_deferred_reply();
  void send_next_deferred_reply();
  // Before libssh reads anything: a first line that is not SSH gets sshd's answer (identification.hpp).
  // Returns false while libssh must not read yet (or when the connection was closed).
  bool judge_client_identification();
  bool read_paused() const { return reply_timer_running_ || identification_wait_; }

  // What a message callback returns: handled (it replied, or chose not to), or let libssh give
  // its default reply (a failure / refusal).
  static constexpr int kMessageHandled = 0;
  static constexpr int kMessageDefaultReply = 1;
  void let_libssh_write_at_once();  // before a disconnect message, so that it goes out
  static int cb_message(ssh_session, ssh_message message, void* self);
  static int cb_auth_none(ssh_session, const char* user, void* self);
  static int cb_auth_pubkey(ssh_session, const char* user, ssh_key_struct* key, char state, void* self);
  static ssh_channel cb_channel_open(ssh_session, void* self);

  asio::strand<asio::any_io_executor> strand_;
  // Declared before session_ so it is destroyed after it: libssh's trace context points into it.
  std::unique_ptr<KexCapture> kex_capture_;
  SessionPtr session_;
  EventPtr event_;
  asio::posix::stream_descriptor socket_;  // readiness only: libssh owns and closes the fd
  asio::steady_timer grace_timer_;
  asio::steady_timer session_timer_;
  asio::steady_timer idle_timer_;  // also the deadline of an ending connection's last output
  asio::steady_timer reply_timer_;  // the next deferred failure reply or disconnect
  asio::steady_timer identification_timer_;  // looks again at an unfinished first line
  events::ConnectionInfo info_;
  ConnectionSettings settings_;
  events::Bus& bus_;
  HandlerFactory handler_factory_;
  std::shared_ptr<SessionHandler> handler_;
  AuthPolicy auth_;
  ssh_server_callbacks_struct server_callbacks_{};
  std::vector<std::shared_ptr<Channel>> channels_;
  int next_channel_number_ = 0;
  State state_ = State::key_exchange;
  bool read_armed_ = false;
  bool write_armed_ = false;
  bool pumping_ = false;
  bool close_posted_ = false;
  bool authenticated_ = false;
  std::string username_;
  std::string client_version_;
  bool version_published_ = false;
  std::string kbdint_user_;                       // user of the pending keyboard-interactive request
  std::unordered_set<std::string> offered_keys_;  // fingerprints already logged
  int forward_channels_ = 0;                      // direct-tcpip channels accepted so far
  int requests_logged_ = 0;
  std::string close_reason_;
  std::string pending_disconnect_;  // set inside a libssh callback, acted on after it returns
  std::string ending_reason_;       // a time limit fired: closing once channels have drained
  int deferred_failures_ = 0;        // failure replies still to send (at most max_auth_tries)
  std::string deferred_disconnect_;  // then this disconnect (MaxAuthTries), after its own delay
  std::string deferred_user_;        // whose delay the next reply waits
  bool reply_timer_running_ = false;
  bool identification_judged_ = false;  // the client's first bytes were "SSH-": libssh reads
  bool identification_wait_ = false;    // a first line that is not SSH is still arriving
  bool version_sent_ = false;           // by libssh (first key-exchange call) or by Hermes
  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point last_activity_ = started_;
  Admission::Ticket ticket_;
  bool drain_on_close_ = false;  // we sent last words outside SSH (the non-SSH line's answer)
};

}  // namespace hermes::ssh
