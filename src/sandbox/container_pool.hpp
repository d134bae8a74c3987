#pragma once
// A warm pool of started target containers of one image, whose PID 1 (hermes-init) waits for a
// session line. sandbox::PoolSet holds one per image profile.
// A session takes one in microseconds; a replacement starts at once. Containers are created with
// the security profile of container_pool.security and labelled hermes.sensor=<sensor>.
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <memory>
#include <string>
#include <unordered_set>
#include <vector>

#include "common/result.hpp"
#include "config/config.hpp"
#include "sandbox/docker_client.hpp"
#include "sandbox/host_key_files.hpp"

namespace hermes::sandbox {

// hermes-init puts its TTY into raw (no echo) mode right after it starts. A session line written
// before that would be echoed back to the attacker, so a freshly started container rests this
// long before it is handed out.
inline constexpr auto kInitSettleTime = std::chrono::milliseconds(50);

struct Lease {
  std::string container_id;
  std::string name;   // after acquire: hermes-<sensor>-<session id>
  std::string image;
  int profile = 0;               // index into container_pool.profiles (0 without profiles)
  bool reused = false;           // a returning address's previous container (sticky_window)
  std::string previous_session;  // the session that container served before, when reused
  std::string source_ip;         // the attacker's address, remembered for stickiness at release
};

// The Docker create body for one pool container (pure; unit-tested). `image` overrides
// container_pool.image when not empty (one pool per profile).
Json build_container_spec(const config::Config& config, const std::string& sensor,
                          const std::string& image = {});

// What one pool serves: a profile's image and its share of container_pool.size.
struct PoolProfile {
  int index = 0;
  std::string image;
  std::size_t size = 0;
};

class ContainerPool {
 public:
  // `host_keys`: the sensor's public host keys, written over /etc/ssh/ssh_host_*_key.pub of
  // each container before it starts (none: the image's files stay as they are).
  ContainerPool(asio::any_io_executor executor, DockerClient& docker,
                const config::Config& config, std::string sensor, PoolProfile profile,
                std::vector<PublicHostKey> host_keys = {});
  ~ContainerPool();

  // Checks the image exists (Error names `hermes image build ...` otherwise), then creates and
  // starts the profile's share of container_pool.size containers in parallel.
  asio::awaitable<Result<void>> start();
  // Takes a ready container for `session_id` (renamed hermes-<sensor>-<session id>) and starts a
  // replacement; waits up to spawn_timeout when none is ready.
  asio::awaitable<Result<Lease>> acquire(std::string session_id);
  // Stops the session's container and keeps it for forensics.
  asio::awaitable<void> release(Lease lease);
  // Removes every container still waiting in the pool; acquire fails from then on.
  asio::awaitable<void> shutdown();

  std::size_t ready_count() const;

  // Engine health, as the engine watch sees it (any thread). Cheap: no engine round-trip.
  // True once started, while the engine is not known to be away, until shutdown.
  bool available() const;
  // A container of this sensor died, was OOM-killed or destroyed: if it was waiting in the pool
  // it leaves it (and is removed) and a replacement starts.
  void container_ended(std::string id, std::string action);
  // The engine went away: forget the ready containers, start nothing, refuse leases.
  void engine_lost();
  // The engine answers again (after reconciling): refill.
  void engine_back();
  // Ids the pool holds: ready ones and those leased to sessions not yet released.
  asio::awaitable<std::unordered_set<std::string>> in_use();

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace hermes::sandbox
