#include "ssh/server.hpp"

#include <unistd.h>

#include <boost/asio/ip/address.hpp>

#include "common/ids.hpp"
#include "common/log.hpp"
#include "ssh/host_keys.hpp"

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
}  // namespace

Server::Server(asio::io_context& io, const config::Config& config, events::Bus& bus,
               Connection::HandlerFactory handler_factory)
    : io_(io),
      config_(config),
      bus_(bus),
      handler_factory_(std::move(handler_factory)),
      acceptor_(io),
      credentials_(config.authentication.static_credentials) {
  settings_.credentials = &credentials_;
  settings_.accept_all_after_failures = config.authentication.accept_all_after_failures;
  settings_.login_grace_time = std::chrono::seconds(config.server.login_grace_time);
  settings_.max_auth_tries = config.server.max_auth_tries;
  settings_.session_timeout = std::chrono::seconds(
      std::min(config.server.session_timeout, config.container_pool.max_session_duration));
}

Server::~Server() = default;

Result<void> Server::start() {
  auto keys = load_or_generate_host_keys(config_.server.host_key_path);
  if (!keys) return std::unexpected(keys.error());

  bind_.reset(ssh_bind_new());
  if (!bind_) return fail("cannot create libssh bind");
  bool process_config = false;  // never read /etc/ssh/libssh_server_config
  ssh_bind_options_set(bind_.get(), SSH_BIND_OPTIONS_PROCESS_CONFIG, &process_config);
  const std::string banner = banner_without_prefix(config_.server.version_string);
  ssh_bind_options_set(bind_.get(), SSH_BIND_OPTIONS_BANNER, banner.c_str());
  for (auto& key : *keys) {
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
  if (ec) {
    return fail("cannot listen on " + config_.server.host + ":" + std::to_string(config_.server.port) +
                ": " + ec.message());
  }
  accept_next();
  return {};
}

asio::ip::tcp::endpoint Server::local_endpoint() const {
  boost::system::error_code ec;
  return acceptor_.local_endpoint(ec);
}

void Server::accept_next() {
  acceptor_.async_accept(asio::make_strand(io_), [this](boost::system::error_code ec, asio::ip::tcp::socket socket) {
    if (stopped_) return;
    if (!ec) {
      on_accepted(std::move(socket));
    } else if (ec != asio::error::operation_aborted) {
      // EMFILE and friends: log, and keep accepting rather than dying.
      log::warn("ssh", "accept failed: " + ec.message());
    }
    accept_next();
  });
}

void Server::on_accepted(asio::ip::tcp::socket socket) {
  boost::system::error_code ec;
  const auto remote = socket.remote_endpoint(ec);
  const auto local = socket.local_endpoint(ec);
  if (ec) return;  // already gone

  events::ConnectionInfo info;
  info.session = new_session_id();
  info.src_ip = address_text(remote.address());
  info.src_port = remote.port();
  info.dst_ip = address_text(local.address());
  info.dst_port = local.port();

  SessionPtr session(ssh_new());
  if (!session) return;
  const int fd = socket.release(ec);
  if (ec) return;
  {
    std::lock_guard lock(bind_mutex_);
    if (ssh_bind_accept_fd(bind_.get(), session.get(), fd) != SSH_OK) {
      log::warn("ssh", std::string("cannot set up SSH session: ") + ssh_get_error(bind_.get()));
      ::close(fd);
      return;
    }
  }
  auto connection = std::make_shared<Connection>(io_.get_executor(), std::move(session), fd,
                                                 std::move(info), settings_, bus_, handler_factory_);
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
