#include "sandbox/pool_set.hpp"

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <random>

#include "common/log.hpp"
#include "sandbox/container_names.hpp"
#include "sandbox/profile_choice.hpp"

namespace hermes::sandbox {
namespace {

constexpr std::string_view kComponent = "pool";

PoolSet::RandomSource default_random() {
  auto engine = std::make_shared<std::mt19937_64>(std::random_device{}());
  auto mutex = std::make_shared<std::mutex>();
  return [engine, mutex] {
    std::lock_guard lock(*mutex);
    return (*engine)();
  };
}

// A sticky container can be restarted only while it exists and is stopped.
Result<void> check_restartable(const Json& inspected) {
  const auto state = inspected.is_object() ? inspected.find("State") : inspected.end();
  if (state == inspected.end() || !state->is_object()) return fail("no State in the inspect answer");
  const auto running = state->find("Running");
  if (running == state->end() || !running->is_boolean()) return fail("no State.Running in the inspect answer");
  if (running->get<bool>()) return fail("it is still running");
  return {};
}

}  // namespace

PoolSet::PoolSet(asio::any_io_executor executor, DockerClient& docker, const config::Config& config,
                 std::string sensor, std::vector<PublicHostKey> host_keys, RandomSource random)
    : docker_(docker),
      sensor_(std::move(sensor)),
      profiles_(effective_profiles(config.container_pool)),
      random_(random ? std::move(random) : default_random()),
      sticky_(std::chrono::seconds(std::max(0, config.container_pool.sticky_window))) {
  const auto shares =
      split_pool_size(profiles_, static_cast<std::size_t>(std::max(0, config.container_pool.size)));
  for (std::size_t i = 0; i < profiles_.size(); ++i) {
    PoolProfile profile{static_cast<int>(i), profiles_[i].image, shares[i]};
    pools_.push_back(std::make_unique<ContainerPool>(executor, docker, config, sensor_, std::move(profile), host_keys));
  }
  started_.assign(pools_.size(), false);
}

PoolSet::~PoolSet() = default;

asio::awaitable<Result<void>> PoolSet::start() {
  for (std::size_t i = 0; i < pools_.size(); ++i) {
    if (started_[i]) continue;
    auto started = co_await pools_[i]->start();
    if (!started) co_return started;
    started_[i] = true;
  }
  co_return Result<void>{};
}

std::size_t PoolSet::draw_profile() { return choose_profile(profiles_, random_()); }

asio::awaitable<Result<Lease>> PoolSet::acquire(std::string session_id, std::string source_ip) {
  std::optional<StickyContainer> sticky;
  if (available() && !source_ip.empty()) {
    std::lock_guard lock(mutex_);
    sticky = sticky_.take(source_ip, std::chrono::steady_clock::now());
    // Marked before the restart so that a reconcile meanwhile leaves it alone.
    if (sticky) reused_.insert(sticky->container_id);
  }
  if (sticky) {
    const std::string id = sticky->container_id;
    auto again = co_await reuse(std::move(*sticky), session_id, source_ip);
    if (again) co_return again;
    reuse_ended(id);
    log::warn(kComponent, "cannot give " + source_ip + " its previous container " + id.substr(0, 12) + " back (" +
                              again.error().message + "); taking a fresh one");
  }
  const std::size_t index = draw_profile();
  auto lease = co_await pools_[index]->acquire(std::move(session_id));
  if (lease) lease->source_ip = std::move(source_ip);
  co_return lease;
}

// Inspect, rename to the new session, start, let hermes-init settle: each call bounded by the
// client's request timeout. A failure leaves the container as it is (stopped and kept).
asio::awaitable<Result<Lease>> PoolSet::reuse(StickyContainer sticky, std::string session_id, std::string source_ip) {
  auto inspected = co_await docker_.inspect_container(sticky.container_id);
  if (!inspected) co_return fail("inspect: " + inspected.error().message);
  if (auto ok = check_restartable(*inspected); !ok) co_return std::unexpected(std::move(ok.error()));
  Lease lease;
  lease.container_id = sticky.container_id;
  lease.name = session_container_name(sensor_, session_id);
  lease.image = sticky.image;
  lease.profile = sticky.profile;
  lease.reused = true;
  lease.previous_session = sticky.session;
  lease.source_ip = std::move(source_ip);
  auto renamed = co_await docker_.rename_container(lease.container_id, lease.name);
  if (!renamed) co_return fail("rename: " + renamed.error().message);
  auto started = co_await docker_.start_container(lease.container_id);
  if (!started) co_return fail("start: " + started.error().message);
  auto executor = co_await asio::this_coro::executor;
  asio::steady_timer settle(executor, kInitSettleTime);
  boost::system::error_code ignored;
  co_await settle.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
  log::debug(kComponent, "container " + lease.container_id.substr(0, 12) + " of session " + lease.previous_session +
                             " restarted for session " + session_id + " from " + lease.source_ip);
  co_return lease;
}

void PoolSet::reuse_ended(const std::string& container_id) {
  std::lock_guard lock(mutex_);
  reused_.erase(container_id);
}

asio::awaitable<void> PoolSet::release(Lease lease, Reuse reuse) {
  const std::size_t index = static_cast<std::size_t>(std::max(0, lease.profile));
  auto& pool = *pools_[std::min(index, pools_.size() - 1)];
  co_await pool.release(lease);
  std::lock_guard lock(mutex_);
  reused_.erase(lease.container_id);
  if (reuse != Reuse::allowed) co_return;
  StickyContainer kept{lease.container_id, lease.image, lease.profile,
                       session_of_container_name(sensor_, lease.name), std::chrono::steady_clock::now()};
  sticky_.remember(lease.source_ip, std::move(kept));
}

asio::awaitable<void> PoolSet::shutdown() {
  for (auto& pool : pools_) co_await pool->shutdown();
}

std::size_t PoolSet::ready_count() const {
  std::size_t total = 0;
  for (const auto& pool : pools_) total += pool->ready_count();
  return total;
}

bool PoolSet::available() const {
  for (const auto& pool : pools_)
    if (!pool->available()) return false;
  return true;
}

void PoolSet::container_ended(std::string id, std::string action) {
  if (action == "destroy") {
    std::lock_guard lock(mutex_);
    sticky_.forget_container(id);
  }
  for (auto& pool : pools_) pool->container_ended(id, action);
}

void PoolSet::engine_lost() {
  for (auto& pool : pools_) pool->engine_lost();
}

void PoolSet::engine_back() {
  for (auto& pool : pools_) pool->engine_back();
}

asio::awaitable<std::unordered_set<std::string>> PoolSet::in_use() {
  std::unordered_set<std::string> ids;
  for (auto& pool : pools_) {
    auto held = co_await pool->in_use();
    ids.merge(held);
  }
  std::lock_guard lock(mutex_);
  ids.insert(reused_.begin(), reused_.end());
  co_return ids;
}

}  // namespace hermes::sandbox
