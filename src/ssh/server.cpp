#include "ssh/server.hpp"

#include <unistd.h>

#include <boost/asio/ip/address.hpp>

#include "common/ids.hpp"
#include "common/log.hpp"
#include "common/sha256.hpp"
#include "ssh/host_keys.hpp"
#include "ssh/persona.hpp"

namespace hermes::ssh {

namespace {
// libssh prepends "SSH-2.0-" to the banner option; the config may carry the full line.
std::string banner_without_prefix(const std::string& version) {
  static const std::string prefix = "SSH-2.0-";
  return version.rfind(prefix, 0) == 0 ? version.substr(prefix.size()) : version;
}

std::string address_text(const asio::ip::address& a) {
  if (a.is_v6() && a.to_v6().is_v4_mapped()) return asio::ip::make_address_v4(asio::ip::v4_mapped, a.to_v6()).to_string();
  return a.to_string();
}

AdmissionLimits admission_limits(const config::ServerConfig& server) {
  AdmissionLimits limits;
  limits.max_connections = server.max_connections;
  limits.max_connections_per_ip = server.max_connections_per_ip;
  limits.connection_rate_per_ip = server.connection_rate_per_ip;
  return limits;
}

// What sshd's per-user failure floor hashes with the user name: a value fixed per host (sshd
// derives its "timing secret" from the host keys too), so each user's delays survive restarts.
std::string timing_secret(const std::vector<HostKey>& keys) {
  std::string secret;
  for (const auto& key : keys) {
    if (auto text = public_key_base64(key)) secret += *text;
  }
  return sha256_hex(secret);
}

// Connections already queued in the kernel taken per readiness event: enough to keep up with
// a flood without a round trip through the reactor per socket, few enough that established
// connections on this thread are served in between.
constexpr int kAcceptBatch = 64;
constexpr auto kAcceptErrorPause = std::chrono::milliseconds(100);
constexpr auto kAcceptWarningInterval = std::chrono::seconds(10);
}  // namespace

Server::Server(asio::io_context& io, const config::Config& config, events::Bus& bus,
               Connection::HandlerFactory handler_factory, ExecutorPicker connection_executor)
    : io_(io),
      config_(config),
      bus_(bus),
      handler_factory_(std::move(handler_factory)),
      connection_executor_(std::move(connection_executor)),
      acceptor_(io),
      accept_pause_(io),
      admission_(admission_limits(config.server)),
      drops_(io.get_executor(), bus),
      credentials_(config.authentication.static_credentials),
      honeytoken_credentials_(config.authentication.honeytokens.credentials),
      keys_(config.authentication.publickey == "accept", config.authentication.honeytokens.key_fingerprints) {
  settings_.credentials = &credentials_;
  settings_.honeytoken_credentials = &honeytoken_credentials_;
  settings_.keys = &keys_;
  settings_.accept_all_after_failures = config.authentication.accept_all_after_failures;
  settings_.login_grace_time = std::chrono::seconds(config.server.login_grace_time);
  settings_.max_auth_tries = config.server.max_auth_tries;
  settings_.session_timeout = std::chrono::seconds(config.server.session_timeout);
  settings_.max_session_duration = std::chrono::seconds(config.container_pool.max_session_duration);
  settings_.idle_timeout = std::chrono::seconds(config.server.idle_timeout);
  settings_.version_line = config.server.version_string + "\r\n";
}

Server::~Server() = default;

Result<void> Server::start(std::vector<HostKey> keys) {
  if (keys.empty()) return fail("no host keys to serve");
  failure_delay_ = std::make_unique<FailureDelay>(config_.authentication.failure_delay, timing_secret(keys));
  settings_.failure_delay = failure_delay_.get();

  bind_.reset(ssh_bind_new());
  if (!bind_) return fail("cannot create libssh bind");
  bool process_config = false;  // never read /etc/ssh/libssh_server_config
  ssh_bind_options_set(bind_.get(), SSH_BIND_OPTIONS_PROCESS_CONFIG, &process_config);
  const std::string banner = banner_without_prefix(config_.server.version_string);
  ssh_bind_options_set(bind_.get(), SSH_BIND_OPTIONS_BANNER, banner.c_str());
  if (auto algorithms = persona::apply_algorithms(bind_.get()); !algorithms) return algorithms;
  for (auto& key : keys) {
    // IMPORT_KEY takes ownership of the key.
    if (ssh_bind_options_set(bind_.get(), SSH_BIND_OPTIONS_IMPORT_KEY, key.key.release()) != SSH_OK) {
      return fail("cannot use host key " + key.path + ": " + ssh_get_error(bind_.get()));
    }
  }

  boost::system::error_code ec;
  const auto address = asio::ip::make_address(config_.server.host, ec);
  if (ec) return fail("server.host: not an IP address: " + config_.server.host);
  const asio::ip::tcp::endpoint endpoint(address, config_.server.port);
  acceptor_.open(endpoint.protocol(), ec);
  if (!ec) acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor_.bind(endpoint, ec);
  if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (!ec) acceptor_.non_blocking(true, ec);  // accept_queued() must never block
  if (ec) {
    return fail("cannot listen on " + config_.server.host + ":" + std::to_string(config_.server.port) +
                ": " + ec.message());
  }
  const auto bound = acceptor_.local_endpoint(ec);
  drops_.set_local(address_text(bound.address()), bound.port());
  accept_next();
  return {};
}

asio::ip::tcp::endpoint Server::local_endpoint() const {
  boost::system::error_code ec;
  return acceptor_.local_endpoint(ec);
}

void Server::accept_next() {
  acceptor_.async_accept([this](boost::system::error_code ec, asio::ip::tcp::socket socket) {
    if (stopped_) return;
    if (ec) {
      if (ec != asio::error::operation_aborted) on_accept_error(ec);
      return;
    }
    on_accepted(std::move(socket));
    if (accept_queued()) accept_next();
  });
}

bool Server::accept_queued() {
  for (int i = 0; i < kAcceptBatch && !stopped_; ++i) {
    boost::system::error_code ec;
    asio::ip::tcp::socket socket = acceptor_.accept(ec);
    if (ec) {
      if (ec == asio::error::would_block || ec == asio::error::try_again) return true;
      on_accept_error(ec);  // it resumes accepting after a pause
      return false;
    }
    on_accepted(std::move(socket));
  }
  return !stopped_;
}

void Server::on_accept_error(const boost::system::error_code& ec) {
  // EMFILE and friends: keep accepting rather than dying, but pause so that a persistent error
  // neither spins a thread nor floods the log.
  const auto now = std::chrono::steady_clock::now();
  if (now - last_accept_warning_ >= kAcceptWarningInterval) {
    last_accept_warning_ = now;
    log::warn("ssh", "accept failed: " + ec.message());
  }
  accept_pause_.expires_after(kAcceptErrorPause);
  accept_pause_.async_wait([this](boost::system::error_code wait_ec) {
    if (!wait_ec && !stopped_) accept_next();
  });
}

void Server::refuse(asio::ip::tcp::socket& socket, const asio::ip::tcp::endpoint& remote, AdmissionRefusal reason) {
  // Closed at once with a reset (SO_LINGER 0): no banner, no libssh session, and no TIME_WAIT
  // left on this side for each of a flood's thousands of connections.
  boost::system::error_code ignored;
  socket.set_option(asio::socket_base::linger(true, 0), ignored);
  socket.close(ignored);
  drops_.dropped(address_text(remote.address()), remote.port(), reason);
}

void Server::on_accepted(asio::ip::tcp::socket socket) {
  boost::system::error_code ec;
  const auto remote = socket.remote_endpoint(ec);
  if (ec) return;  // already gone
  Admission::Decision admitted = admission_.admit(remote.address());
  if (!admitted.ticket) {
    refuse(socket, remote, admitted.refusal);
    return;
  }
  const auto local = socket.local_endpoint(ec);
  if (ec) return;

  events::ConnectionInfo info;
  info.session = new_session_id();
  info.src_ip = address_text(remote.address());
  info.src_port = remote.port();
  info.dst_ip = address_text(local.address());
  info.dst_port = local.port();

  // As sshd does for interactive sessions: without it, a small write after another waits for
  // the client's delayed ACK, and every login waited ~40 ms for its first prompt byte.
  socket.set_option(asio::ip::tcp::no_delay(true), ec);
  SessionPtr session(ssh_new());
  if (!session) return;
  const int fd = socket.release(ec);
  if (ec) return;
  // The client's KEXINIT is read from libssh's packet trace, which must be set up before
  // ssh_bind_accept_fd; null (no kex event) when that is not possible.
  auto kex_capture = KexCapture::attach(session.get(), fd);
  {
    std::lock_guard lock(bind_mutex_);
    if (ssh_bind_accept_fd(bind_.get(), session.get(), fd) != SSH_OK) {
      log::warn("ssh", std::string("cannot set up SSH session: ") + ssh_get_error(bind_.get()));
      ::close(fd);
      return;
    }
  }
  auto connection = std::make_shared<Connection>(connection_executor_(), std::move(session), fd,
                                                 std::move(info), settings_, bus_, handler_factory_,
                                                 std::move(admitted.ticket), std::move(kex_capture));
  {
    std::lock_guard lock(connections_mutex_);
    forget_closed();
    connections_.push_back(connection);
  }
  connection->start();
}

void Server::forget_closed() {
  std::erase_if(connections_, [](const std::weak_ptr<Connection>& w) { return w.expired(); });
}

void Server::stop() {
  stopped_ = true;
  boost::system::error_code ec;
  acceptor_.close(ec);
  drops_.flush();  // a pending accept pause ends on its own: it checks stopped_
  std::vector<std::shared_ptr<Connection>> open;
  {
    std::lock_guard lock(connections_mutex_);
    for (auto& w : connections_)
      if (auto c = w.lock()) open.push_back(std::move(c));
    connections_.clear();
  }
  for (auto& c : open) c->close("server shutting down");
}

std::size_t Server::open_connections() {
  std::lock_guard lock(connections_mutex_);
  forget_closed();
  return connections_.size();
}

}  // namespace hermes::ssh
