// ContainerPool: keeps `size` started containers whose hermes-init waits for a session line.
//
// Every piece of pool state lives on one strand; the public coroutines hop onto it with
// co_spawn(strand, ..., use_awaitable), so acquire() may be called from any connection's strand.
// Changes are broadcast by cancelling the timers of whoever waits (wait_for_change), which keeps
// waiting acquirers, backoff sleeps and shutdown on one simple mechanism.
//
// Counters, all on the strand:
//   spawners  refill loops, each producing one container (retrying with backoff)
//   attempts  create+start calls still talking to Docker; one can outlive its spawner when it
//             exceeded spawn_timeout, and then removes what it created
//   waiting   acquirers waiting for a container; each asks for one more spawner
// The pool aims at ready + spawners >= size + waiting.
//
// While the engine is known to be away (engine_lost() .. engine_back(), told by the engine
// watch), the pool holds nothing ready, starts nothing and refuses leases at once; containers
// that die while idle (container_ended()) leave the ready list before anyone can take them.
#include "sandbox/container_pool.hpp"

#include <algorithm>
#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <deque>
#include <exception>
#include <optional>
#include <unordered_set>
#include <vector>

#include "common/ids.hpp"
#include "common/backoff.hpp"
#include "common/log.hpp"
#include "sandbox/container_names.hpp"
#include "sandbox/image_names.hpp"

namespace hermes::sandbox {
namespace {

using Clock = std::chrono::steady_clock;
constexpr std::string_view kComponent = "pool";
constexpr int kReleaseStopSeconds = 1;
// Containers being created and started at once. runc's work is CPU-bound, so more in flight
// does not start them sooner; it only piles work on the engine: a burst of logins with no cap
// put ~1000 creates in flight and wedged dockerd (its network hooks stopped returning).
constexpr std::size_t kMaxStartsInFlight = 4;

struct ReadyContainer {
  std::string id;
  std::string name;
};

std::string missing_image_message(const std::string& image) {
  if (auto profile = profile_of_image(image)) {
    return "target image " + image + " does not exist; build it with `build/hermes image build --profile " +
           *profile + "`";
  }
  return "target image " + image +
         " does not exist; set container_pool.image to a hermes-target-<profile>:latest image built "
         "with `build/hermes image build --profile NAME`";
}

// Completion handler for detached coroutines: nothing on the pool's path throws by design, but
// if something does (std::bad_alloc), it is logged instead of vanishing.
auto log_exception(std::string what) {
  return [what = std::move(what)](std::exception_ptr error) {
    if (!error) return;
    try {
      std::rethrow_exception(error);
    } catch (const std::exception& e) {
      log::error(kComponent, what + " failed: " + e.what());
    } catch (...) {
      log::error(kComponent, what + " failed with an unknown exception");
    }
  };
}


}  // namespace

struct ContainerPool::Impl : std::enable_shared_from_this<Impl> {
  Impl(asio::any_io_executor executor, DockerClient& docker_client, const config::Config& config,
       std::string sensor_name, PoolProfile profile, std::vector<PublicHostKey> public_host_keys)
      : strand(asio::make_strand(std::move(executor))),
        docker(docker_client),
        spec(build_container_spec(config, sensor_name, profile.image)),
        image(profile.image),
        profile_index(profile.index),
        sensor(std::move(sensor_name)),
        target_size(profile.size),
        spawn_timeout(std::max(1, config.container_pool.spawn_timeout)),
        host_keys(std::move(public_host_keys)),
        hostname(config.container_pool.hostname) {}

  asio::strand<asio::any_io_executor> strand;
  DockerClient& docker;
  const Json spec;
  const std::string image;
  const int profile_index;
  const std::string sensor;
  const std::size_t target_size;
  const std::chrono::seconds spawn_timeout;
  const std::vector<PublicHostKey> host_keys;
  const std::string hostname;

  // Only touched on `strand`.
  std::string host_key_tar;  // built in start(); empty: nothing to write into containers
  std::deque<ReadyContainer> ready;
  std::size_t spawners = 0;
  std::size_t attempts = 0;
  std::size_t waiting = 0;
  bool started = false;
  bool stopping = false;
  bool engine_up = true;
  std::unordered_set<std::string> leased;  // handed to sessions and not yet released
  std::unordered_set<std::string> unnamed;  // leased, but the rename to the session's name failed
  std::string last_failure;
  std::vector<asio::steady_timer*> watchers;

  std::atomic<std::size_t> ready_snapshot{0};  // for ready_count() from any thread
  std::atomic<bool> available_snapshot{false};  // for available() from any thread

  void state_changed() { available_snapshot = started && engine_up && !stopping; }

  void notify() {
    for (auto* timer : watchers) timer->cancel();
  }

  void ready_changed() {
    ready_snapshot = ready.size();
    notify();
  }

  // Sleeps until `deadline` or until notify(), whichever comes first.
  asio::awaitable<void> wait_for_change(Clock::time_point deadline) {
    asio::steady_timer timer(strand, deadline);
    watchers.push_back(&timer);
    // Unregisters even if the frame is destroyed while suspended (io_context torn down).
    struct Unregister {
      std::vector<asio::steady_timer*>& list;
      asio::steady_timer* timer;
      ~Unregister() { std::erase(list, timer); }
    } unregister{watchers, &timer};
    boost::system::error_code ec;  // operation_aborted is the wake-up, not an error
    co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  }

  asio::awaitable<void> wait_until_drained() {
    while (spawners > 0 || attempts > 0) co_await wait_for_change(Clock::time_point::max());
  }

  asio::awaitable<void> remove_quietly(std::string id) {
    auto removed = co_await docker.remove_container(id, /*force=*/true);
    if (!removed) log::warn(kComponent, "removing container " + id + " failed: " + removed.error().message);
  }

  // Counted as an attempt so that shutdown() waits for it.
  void remove_in_background(const std::shared_ptr<Impl>& self, std::string id) {
    ++attempts;
    asio::co_spawn(
        strand,
        [self, id = std::move(id)]() -> asio::awaitable<void> {
          co_await self->remove_quietly(id);
          --self->attempts;
          self->notify();
        },
        log_exception("removing a dead pool container"));
  }

  asio::awaitable<Result<ReadyContainer>> create_and_start() {
    const std::string name = pool_container_name(sensor, new_session_id().substr(0, 8));
    auto id = co_await docker.create_container(spec, name);
    if (!id) co_return fail("creating " + name + " failed: " + id.error().message, id.error().code);
    co_await write_host_keys(*id, name);
    auto started_ok = co_await docker.start_container(*id);
    if (!started_ok) {
      co_await remove_quietly(*id);
      co_return fail("starting " + name + " failed: " + started_ok.error().message,
                     started_ok.error().code);
    }
    asio::steady_timer settle(strand, kInitSettleTime);
    boost::system::error_code ec;
    co_await settle.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    co_return ReadyContainer{*id, name};
  }

  // Before the start, so that nothing in the container ever sees the image's decoy .pub files.
  // A container without the sensor's keys is still a working trap, so a failure is logged and
  // the container used all the same; the call has the client's request deadline, and the whole
  // creation spawn_timeout. 404: the image has no /etc/ssh (the minimal profile).
  asio::awaitable<void> write_host_keys(const std::string& id, const std::string& name) {
    if (host_key_tar.empty()) co_return;
    const std::string directory(kHostKeyDirectory);
    std::string tar = host_key_tar;
    auto written = co_await docker.put_archive(id, directory, std::move(tar));
    if (written) co_return;
    if (written.error().code == 404) {
      log::debug(kComponent, name + " has no " + directory + ": the sensor's host keys are not written there");
    } else {
      log::warn(kComponent, "writing the host keys into " + name + " failed: " + written.error().message);
    }
  }

  // The .pub files the pool's containers get, timed as the image was made (the decoy private
  // keys beside them date from the image's build too).
  void prepare_host_keys(std::time_t image_created) {
    if (host_keys.empty()) return;
    auto archive = host_key_archive(host_keys, hostname, image_created);
    if (!archive) {
      log::warn(kComponent, "the sensor's host keys cannot be written into containers: " + archive.error().message);
      return;
    }
    host_key_tar = std::move(*archive);
  }

  // create_and_start bounded by spawn_timeout. The Docker call cannot be cancelled, so it runs
  // detached; if it finishes after we gave up (or while shutting down), it removes its container.
  asio::awaitable<Result<ReadyContainer>> create_bounded(std::shared_ptr<Impl> self) {
    struct Attempt {
      std::optional<Result<ReadyContainer>> outcome;
      bool abandoned = false;
    };
    auto attempt = std::make_shared<Attempt>();
    ++attempts;
    asio::co_spawn(
        strand,
        [self, attempt]() -> asio::awaitable<void> {
          auto outcome = co_await self->create_and_start();
          if (outcome && (attempt->abandoned || self->stopping)) {
            co_await self->remove_quietly(outcome->id);
            outcome = fail("pool container " + outcome->name + " is no longer wanted");
          }
          attempt->outcome = std::move(outcome);
          --self->attempts;
          self->notify();
        },
        log_exception("pool container creation"));

    const auto deadline = Clock::now() + spawn_timeout;
    while (!attempt->outcome && Clock::now() < deadline) co_await wait_for_change(deadline);
    if (!attempt->outcome) {
      attempt->abandoned = true;
      co_return fail("creating and starting a pool container took longer than " +
                     seconds_text(spawn_timeout) + " (container_pool.spawn_timeout)");
    }
    co_return std::move(*attempt->outcome);
  }

  // One refill: produces one ready container, retrying with exponential backoff.
  asio::awaitable<void> spawn_loop(std::shared_ptr<Impl> self) {
    Backoff backoff;
    while (!stopping && engine_up) {
      auto outcome = co_await create_bounded(self);
      if (outcome && stopping) {
        co_await remove_quietly(outcome->id);  // shutdown began while we were resuming
        break;
      }
      if (outcome) {
        log::debug(kComponent, "container " + outcome->name + " ready (" + outcome->id.substr(0, 12) + ")");
        ready.push_back(std::move(*outcome));
        last_failure.clear();
        ready_changed();
        break;
      }
      if (stopping || !engine_up) break;  // the engine watch reports the loss, once
      last_failure = outcome.error().message;
      const auto delay = backoff.next();
      log::warn(kComponent, last_failure + "; retrying in " + seconds_text(delay));
      const auto until = Clock::now() + delay;
      while (!stopping && engine_up && Clock::now() < until) co_await wait_for_change(until);
    }
    --spawners;
    refill(self);  // a slot is free: the next one starts if still wanted
    notify();
  }

  void refill(const std::shared_ptr<Impl>& self) {
    if (stopping || !started || !engine_up) return;
    while (spawners < kMaxStartsInFlight && ready.size() + spawners < target_size + waiting) {
      ++spawners;
      asio::co_spawn(strand, spawn_loop(self), log_exception("pool refill"));
    }
  }

  asio::awaitable<Result<void>> start(std::shared_ptr<Impl> self) {
    if (started || stopping) co_return fail("the container pool was already started");
    auto created = co_await docker.image_created(image);
    if (!created) co_return fail("cannot look up target image " + image + ": " + created.error().message);
    if (!*created) co_return fail(missing_image_message(image));
    prepare_host_keys(**created);

    // The first round runs in parallel and must fully succeed: a setting Docker refuses (an
    // unknown capability, say) is reported to the operator now, not retried forever later.
    // In waves of kMaxStartsInFlight, so that a large pool does not flood the engine either.
    auto results = std::make_shared<std::vector<std::optional<Result<ReadyContainer>>>>(target_size);
    for (std::size_t wave = 0; wave < target_size; wave += kMaxStartsInFlight) {
      const std::size_t wave_end = std::min(target_size, wave + kMaxStartsInFlight);
      for (std::size_t i = wave; i < wave_end; ++i) {
        asio::co_spawn(
            strand,
            [self, results, i]() -> asio::awaitable<void> {
              (*results)[i] = co_await self->create_bounded(self);
              self->notify();
            },
            log_exception("pool start"));
      }
      auto wave_done = [&] {
        return std::all_of(results->begin() + static_cast<std::ptrdiff_t>(wave),
                           results->begin() + static_cast<std::ptrdiff_t>(wave_end),
                           [](const auto& r) { return r.has_value(); });
      };
      while (!wave_done()) co_await wait_for_change(Clock::time_point::max());
      const bool wave_failed = std::any_of(results->begin() + static_cast<std::ptrdiff_t>(wave),
                                           results->begin() + static_cast<std::ptrdiff_t>(wave_end),
                                           [](const auto& r) { return !*r; });
      if (wave_failed) {
        results->resize(wave_end);  // later waves never started
        break;
      }
    }

    std::optional<Error> first_error;
    for (auto& result : *results) {
      if (!*result && !first_error) first_error = result->error();
    }
    if (first_error) {
      for (auto& result : *results) {
        if (*result) co_await remove_quietly((*result)->id);
      }
      co_return fail("cannot start the container pool: " + first_error->message, first_error->code);
    }
    for (auto& result : *results) ready.push_back(std::move(**result));
    started = true;
    state_changed();
    ready_changed();
    log::info(kComponent, std::to_string(ready.size()) + " containers of " + image + " ready for sensor " + sensor);
    co_return Result<void>{};
  }

  asio::awaitable<Result<Lease>> acquire(std::shared_ptr<Impl> self, std::string session_id) {
    if (!started || stopping) co_return fail("the container pool is not running");
    if (!engine_up) co_return fail("sandbox unavailable: the Docker engine is not answering");
    const auto deadline = Clock::now() + spawn_timeout;
    const std::string session_name = session_container_name(sensor, session_id);
    ++waiting;
    refill(self);
    while (ready.empty() && !stopping && engine_up && Clock::now() < deadline) {
      co_await wait_for_change(deadline);
    }
    --waiting;
    if (stopping) co_return fail("the container pool is shutting down");
    if (!engine_up) co_return fail("sandbox unavailable: the Docker engine went away");
    if (ready.empty()) {
      co_return fail("no sandbox container became ready within " + seconds_text(spawn_timeout) +
                     (last_failure.empty() ? std::string() : " (last failure: " + last_failure + ")"));
    }
    ReadyContainer container = std::move(ready.front());
    ready.pop_front();
    ready_changed();
    leased.insert(container.id);
    // Labels are immutable, so the session id goes into the name for whoever looks later (and
    // for reconciling after a crash, which tells pool from session containers by name). The
    // rename runs beside the login rather than before it: it took 8-45 ms of the engine's
    // time, more than everything else between password and prompt (docs/performance.md).
    rename_in_background(self, container.id, container.name, session_name);
    refill(self);  // the replacement starts now, in the background
    Lease lease;
    lease.container_id = container.id;
    lease.name = session_name;
    lease.image = image;
    lease.profile = profile_index;
    co_return lease;
  }

  // A failed rename leaves the session in a container still named as a pool one, which a
  // restart's reconciliation would remove: release() tries the name once more before the stop.
  void rename_in_background(const std::shared_ptr<Impl>& self, std::string id, std::string old_name,
                            std::string new_name) {
    asio::co_spawn(
        strand,
        [self, id = std::move(id), old_name = std::move(old_name), new_name = std::move(new_name)]() -> asio::awaitable<void> {
          auto renamed = co_await self->docker.rename_container(id, new_name);
          if (renamed) co_return;
          log::warn(kComponent, "renaming " + old_name + " to " + new_name + " failed (" + renamed.error().message +
                                    "); tried again when the session ends");
          // Only while leased: a session that already ended has had its retry (or missed it).
          if (self->leased.contains(id)) self->unnamed.insert(id);
        },
        log_exception("renaming a leased container"));
  }

  // On the strand: the lease ends; true when its container still lacks the session's name.
  asio::awaitable<bool> end_lease(std::shared_ptr<Impl> self, std::string id) {
    leased.erase(id);
    co_return unnamed.erase(id) > 0;
  }

  // A container that stopped (or vanished) while waiting in the pool is never handed out.
  void container_ended(const std::shared_ptr<Impl>& self, const std::string& id, const std::string& action) {
    const auto it = std::find_if(ready.begin(), ready.end(), [&](const ReadyContainer& c) { return c.id == id; });
    if (it == ready.end()) return;
    log::warn(kComponent, "pool container " + it->name + " ended while idle (" + action + "); replacing it");
    ready.erase(it);
    ready_changed();
    if (action != "destroy") remove_in_background(self, id);
    refill(self);
  }

  void engine_lost() {
    if (!engine_up) return;
    engine_up = false;
    state_changed();
    if (!ready.empty()) {
      log::info(kComponent, "forgetting " + std::to_string(ready.size()) +
                                " idle pool containers until the engine is back (they are reconciled then)");
    }
    ready.clear();
    ready_changed();  // wakes waiting acquirers and backoff sleeps
  }

  void engine_back(const std::shared_ptr<Impl>& self) {
    if (engine_up) return;
    engine_up = true;
    state_changed();
    last_failure.clear();
    refill(self);
  }

  std::unordered_set<std::string> in_use() const {
    std::unordered_set<std::string> ids(leased);
    for (const auto& container : ready) ids.insert(container.id);
    return ids;
  }

  // `self` keeps the pool alive while the call waits for the strand.
  asio::awaitable<std::unordered_set<std::string>> in_use_on_strand(std::shared_ptr<Impl> self) {
    co_return in_use();
  }

  asio::awaitable<void> shutdown() {
    if (!stopping) {
      stopping = true;
      state_changed();
      notify();
      auto leftovers = std::move(ready);
      ready.clear();
      ready_changed();
      for (const auto& container : leftovers) co_await remove_quietly(container.id);
      if (!leftovers.empty()) {
        log::info(kComponent, "removed " + std::to_string(leftovers.size()) + " idle pool containers");
      }
    }
    co_await wait_until_drained();
  }
};

ContainerPool::ContainerPool(asio::any_io_executor executor, DockerClient& docker,
                             const config::Config& config, std::string sensor, PoolProfile profile,
                             std::vector<PublicHostKey> host_keys)
    : impl_(std::make_shared<Impl>(std::move(executor), docker, config, std::move(sensor), std::move(profile),
                                   std::move(host_keys))) {}

ContainerPool::~ContainerPool() {
  // shutdown() is the orderly way; this only stops refills still running in the background.
  asio::post(impl_->strand, [impl = impl_] {
    impl->stopping = true;
    impl->state_changed();
    impl->notify();
  });
}

asio::awaitable<Result<void>> ContainerPool::start() {
  auto impl = impl_;
  co_return co_await asio::co_spawn(impl->strand, impl->start(impl), asio::use_awaitable);
}

asio::awaitable<Result<Lease>> ContainerPool::acquire(std::string session_id) {
  auto impl = impl_;
  co_return co_await asio::co_spawn(impl->strand, impl->acquire(impl, std::move(session_id)),
                                    asio::use_awaitable);
}

asio::awaitable<void> ContainerPool::release(Lease lease) {
  auto impl = impl_;
  const bool unnamed = co_await asio::co_spawn(impl->strand, impl->end_lease(impl, lease.container_id),
                                               asio::use_awaitable);
  if (unnamed) {
    auto renamed = co_await impl->docker.rename_container(lease.container_id, lease.name);
    if (!renamed) log::warn(kComponent, "renaming " + lease.container_id + " to " + lease.name + " failed again: " + renamed.error().message);
  }
  // Bounded by the client's request timeout plus the stop grace; the engine may be gone.
  auto stopped = co_await impl_->docker.stop_container(lease.container_id, kReleaseStopSeconds);
  if (!stopped) {
    log::warn(kComponent, "stopping " + lease.name + " failed: " + stopped.error().message);
  }
}

asio::awaitable<void> ContainerPool::shutdown() {
  auto impl = impl_;
  co_await asio::co_spawn(impl->strand, impl->shutdown(), asio::use_awaitable);
}

std::size_t ContainerPool::ready_count() const { return impl_->ready_snapshot.load(); }

bool ContainerPool::available() const { return impl_->available_snapshot.load(); }

void ContainerPool::container_ended(std::string id, std::string action) {
  asio::post(impl_->strand, [impl = impl_, id = std::move(id), action = std::move(action)] {
    impl->container_ended(impl, id, action);
  });
}

void ContainerPool::engine_lost() {
  asio::post(impl_->strand, [impl = impl_] { impl->engine_lost(); });
}

void ContainerPool::engine_back() {
  asio::post(impl_->strand, [impl = impl_] { impl->engine_back(impl); });
}

asio::awaitable<std::unordered_set<std::string>> ContainerPool::in_use() {
  auto impl = impl_;
  // A member coroutine, not a capturing lambda: GCC 12 released the lambda's captured
  // shared_ptr twice here.
  co_return co_await asio::co_spawn(impl->strand, impl->in_use_on_strand(impl), asio::use_awaitable);
}

}  // namespace hermes::sandbox
