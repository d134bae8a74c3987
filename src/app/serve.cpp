#include "app/serve.hpp"
#include "app/io_threads.hpp"
#include "app/planted_host_keys.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <iostream>
#include <thread>
#include <unistd.h>
#include <unordered_set>
#include <vector>

#include "app/active_sessions.hpp"
#include "app/disk_space_guard.hpp"
#include "app/engine_watch.hpp"
#include "app/privileges.hpp"
#include "app/reconcile_events.hpp"
#include "app/retention.hpp"
#include "common/backoff.hpp"
#include "common/log.hpp"
#include "config/config_loader.hpp"
#include "events/bus.hpp"
#include "events/cowrie_format.hpp"
#include "events/jsonl_sink.hpp"
#include "record/session_metadata.hpp"
#include "sandbox/pool_set.hpp"
#include "sandbox/docker_client.hpp"
#include "sandbox/engine_runtimes.hpp"
#include "session/session.hpp"
#include "session/session_tracker.hpp"
#include "ssh/host_keys.hpp"
#include "ssh/server.hpp"

namespace hermes::app {

namespace asio = boost::asio;

namespace {

constexpr auto kShutdownGrace = std::chrono::seconds(20);
// Waiting for an absent engine at start: 1 s, 2 s, 4 s ... at most 30 s between attempts.

// Everything one running honeypot owns, in construction order.
class Honeypot {
 public:
  // `host_keys`: what the SSH server serves once the sandbox is up; their public halves go
  // into every container's /etc/ssh.
  Honeypot(const config::Config& config, events::Bus& bus, sandbox::DockerEndpoint endpoint,
           std::vector<ssh::HostKey> host_keys)
      : config_(config),
        bus_(bus),
        host_keys_(std::move(host_keys)),
        io_(1),  // run by the main thread only; further workers have contexts of their own
        io_threads_(io_, config.server.worker_threads),
        docker_(io_.get_executor(), std::move(endpoint)),
        pool_(io_.get_executor(), docker_, config, config.server.sensor_name, planted_host_keys(host_keys_)),
        tracker_(static_cast<std::size_t>(config.server.max_concurrent_sessions)),
        server_(io_, config, bus,
                [this](const std::shared_ptr<ssh::Connection>& connection) { return offer_session(connection); },
                [this] { return io_threads_.next_connection_executor(); }),
        disk_space_({config.recording.output_dir, config.logging.output_dir},
                    static_cast<std::uint64_t>(std::max<int64_t>(0, config.retention.min_free_bytes))),
        retention_(docker_, bus, RetentionSettings::from(config), active_sessions_),
        engine_watch_(io_.get_executor(), docker_, pool_, bus, config.server.sensor_name),
        control_(asio::make_strand(io_)),
        engine_retry_(control_),
        signals_(io_, SIGINT, SIGTERM) {}

  int run() {
    asio::co_spawn(control_, startup(), asio::detached);
    signals_.async_wait([this](boost::system::error_code ec, int signal) {
      if (ec) return;
      log::info("hermes", std::string("received ") + (signal == SIGTERM ? "SIGTERM" : "SIGINT") +
                              ", shutting down");
      asio::co_spawn(control_, shutdown(0), asio::detached);
    });
    io_threads_.start();
    io_.run();
    io_threads_.stop_and_join();
    return exit_code_;
  }

 private:
  // Called on a correct password. Checks run cheapest first; the tracker's slot is taken last so
  // that a refusal for another reason does not hold one.
  ssh::SessionOffer offer_session(const std::shared_ptr<ssh::Connection>& connection) {
    if (stopping_) return {nullptr, "shutting down"};
    // The engine is away (or the pool not started): a login would lead into nothing.
    if (!pool_.available()) return {nullptr, "sandbox unavailable"};
    if (!disk_space_.enough_space()) return {nullptr, "disk space"};
    if (!tracker_.try_admit()) return {nullptr, "capacity"};
    auto session = std::make_shared<session::Session>(
        session::Services{docker_, pool_, config_, bus_, tracker_}, connection);
    // Retention leaves this session's recording and container alone while the object lives.
    active_sessions_.track(connection->info().session, session);
    return {std::move(session), {}};
  }

  // Pings until the engine answers, backing off; false when shutdown began meanwhile. Nothing
  // listens yet, so no login is accepted into nothing.
  asio::awaitable<bool> wait_for_engine() {
    Backoff backoff;
    bool reported = false;
    for (;;) {
      auto version = co_await docker_.ping();
      if (stopping_) co_return false;
      if (version) {
        log::info("hermes", "Docker engine answers at " + docker_.endpoint().describe() + " (API " + *version + ")");
        co_return true;
      }
      const auto delay = backoff.next();
      if (!reported) {
        reported = true;
        log::error("hermes", version.error().message +
                                 ". Start the Docker engine (or fix docker.socket_path / docker.base_url and "
                                 "the socket's permissions); hermes does not accept logins until it answers. "
                                 "Retrying in " + seconds_text(delay));
      } else {
        log::warn("hermes", "still no Docker engine at " + docker_.endpoint().describe() + "; retrying in " +
                                seconds_text(delay));
      }
      engine_retry_.expires_after(delay);
      if (stopping_) co_return false;  // set before shutdown posts the cancel to this strand
      boost::system::error_code ignored;  // cancelled by shutdown
      co_await engine_retry_.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
      if (stopping_) co_return false;
    }
  }

  // Engine, then reconcile, then pool. A pool that fails to start while the engine vanished
  // again goes back to waiting; any other failure (image missing, a setting the engine
  // refuses) is the operator's to fix: exit 1.
  asio::awaitable<bool> start_sandbox() {
    for (;;) {
      const bool engine = co_await wait_for_engine();
      if (!engine) co_return false;
      if (auto runtime = co_await check_runtime(); !runtime) {
        log::error("hermes", runtime.error().message);
        co_await shutdown(1);
        co_return false;
      }
      // Containers a killed predecessor left behind: stale pool ones removed, running session
      // ones stopped and kept.
      std::unordered_set<std::string> nothing_in_use;
      std::string trigger = "startup";  // named: no temporaries inside co_await (GCC 12)
      co_await reconcile_and_report(docker_, bus_, config_.server.sensor_name, std::move(nothing_in_use),
                                    std::move(trigger));
      if (stopping_) co_return false;
      auto pool = co_await pool_.start();
      if (pool) co_return !stopping_;
      if (stopping_) co_return false;
      auto still_there = co_await docker_.ping();
      if (still_there) {
        log::error("hermes", pool.error().message);
        co_await shutdown(1);
        co_return false;
      }
      log::warn("hermes", "the container pool could not start because the engine went away: " + pool.error().message);
    }
  }

  asio::awaitable<void> startup() {
    const bool sandbox = co_await start_sandbox();
    if (!sandbox) co_return;
    if (auto listening = server_.start(std::move(host_keys_)); !listening) {
      log::error("hermes", listening.error().message + privileged_port_hint(config_.server.port, ::geteuid()));
      co_await shutdown(1);
      co_return;
    }
    engine_watch_.start();
    const auto endpoint = server_.local_endpoint();
    log::info("hermes", "listening on " + endpoint.address().to_string() + ":" +
                            std::to_string(endpoint.port()) + " (sensor " + config_.server.sensor_name +
                            ", image " + images_text() + ", pool " +
                            std::to_string(config_.container_pool.size) + ")");
    asio::co_spawn(io_, retention_.run(), asio::detached);
  }

  std::string images_text() const {
    const auto& pool = config_.container_pool;
    if (pool.profiles.empty()) return pool.image;
    std::string text;
    for (const auto& profile : pool.profiles)
      text += (text.empty() ? "" : ", ") + profile.image + " (weight " + std::to_string(profile.weight) + ")";
    return text;
  }

  // Only asked when a runtime is configured, so a socket proxy need not open GET /info otherwise.
  asio::awaitable<Result<void>> check_runtime() {
    const std::string& wanted = config_.container_pool.security.runtime;
    if (wanted.empty()) co_return Result<void>{};
    auto offered = co_await docker_.runtime_names();
    if (!offered) co_return std::unexpected(std::move(offered.error()));
    co_return sandbox::require_runtime(wanted, *offered);
  }

  asio::awaitable<void> shutdown(int exit_code) {
    if (stopping_) co_return;
    stopping_ = true;
    tracker_.begin_shutdown();
    exit_code_ = exit_code;
    signals_.cancel();
    asio::post(control_, [this] { engine_retry_.cancel(); });
    engine_watch_.stop();
    server_.stop();
    // Sessions finish on their own strands: recordings closed, containers stopped and kept.
    asio::steady_timer timer(io_);
    const auto deadline = std::chrono::steady_clock::now() + kShutdownGrace;
    while (tracker_.active() > 0 && std::chrono::steady_clock::now() < deadline) {
      timer.expires_after(std::chrono::milliseconds(50));
      co_await timer.async_wait(asio::use_awaitable);
    }
    if (tracker_.active() > 0) log::warn("hermes", std::to_string(tracker_.active()) + " sessions did not finish in time");
    co_await pool_.shutdown();
    bus_.flush();
    log::info("hermes", "stopped");
    io_.stop();
  }

  const config::Config& config_;
  events::Bus& bus_;
  std::vector<ssh::HostKey> host_keys_;  // handed to server_ when it starts
  asio::io_context io_;
  IoThreads io_threads_;
  sandbox::DockerClient docker_;
  sandbox::PoolSet pool_;
  session::SessionTracker tracker_;
  ssh::Server server_;
  DiskSpaceGuard disk_space_;
  ActiveSessions active_sessions_;
  Retention retention_;
  EngineWatch engine_watch_;
  // Start-up runs on control_, where engine_retry_ lives: shutdown cancels the timer there.
  asio::strand<asio::io_context::executor_type> control_;
  asio::steady_timer engine_retry_;
  asio::signal_set signals_;
  std::atomic<bool> stopping_{false};
  int exit_code_ = 0;
};

}  // namespace

int run_serve(const std::string& config_path) {
  auto loaded = config::load_config_file(config_path);
  if (!loaded) {
    std::cerr << "hermes: invalid configuration " << config_path << ":\n" << loaded.error().message << "\n";
    return 2;
  }
  const config::Config& config = loaded->config;
  log::Level level = log::Level::info;
  log::parse_level(config.logging.level, level);
  log::configure(level, config.logging.format == "json" ? log::Format::json : log::Format::text);
  for (const auto& warning : loaded->warnings) log::warn("config", warning);
  if (const auto warning = root_warning(::geteuid())) log::warn("hermes", *warning);

  for (const auto* dir : {&config.logging.output_dir, &config.recording.output_dir}) {
    if (auto ok = record::ensure_directory(*dir); !ok) {
      log::error("hermes", ok.error().message);
      return 1;
    }
  }
  auto endpoint = sandbox::DockerEndpoint::from_config(config.docker.socket_path, config.docker.base_url);
  if (!endpoint) {
    log::error("hermes", endpoint.error().message);
    return 2;
  }
  auto sink = events::JsonLinesSink::open(config.logging.output_dir + "/events.jsonl", config.server.sensor_name);
  if (!sink) {
    log::error("hermes", sink.error().message);
    return 1;
  }
  events::Bus bus;
  bus.subscribe(*sink);
  if (config.logging.cowrie_compat) {
    events::CowrieIdentity identity{config.server.sensor_name, events::new_instance_uuid()};
    auto cowrie_format = [identity](const events::Event& event) { return events::to_cowrie_json(event, identity); };
    auto cowrie = events::JsonLinesSink::open_formatted(config.logging.output_dir + "/cowrie.json", cowrie_format);
    if (!cowrie) {
      log::error("hermes", cowrie.error().message);
      return 1;
    }
    bus.subscribe(*cowrie);
  }
  // Before the sandbox starts: the pool writes the keys' public halves into its containers.
  auto host_keys = ssh::load_or_generate_host_keys(config.server.host_key_path);
  if (!host_keys) {
    log::error("hermes", host_keys.error().message);
    return 1;
  }
  Honeypot honeypot(config, bus, std::move(*endpoint), std::move(*host_keys));
  const int code = honeypot.run();
  bus.flush();
  return code;
}

}  // namespace hermes::app
