#pragma once
// The sandboxes sessions get: one warm ContainerPool per image profile (container_pool.profiles,
// or container_pool.image alone), a weighted choice of profile per session, and per-address
// stickiness (container_pool.sticky_window): a session from an address whose previous session
// ended within the window gets that stopped container back, renamed to the new session and
// restarted (hermes-init waits for the session line again), files included.
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_set>
#include <vector>

#include "common/result.hpp"
#include "config/config.hpp"
#include "sandbox/container_pool.hpp"
#include "sandbox/docker_client.hpp"
#include "sandbox/sticky_table.hpp"

namespace hermes::sandbox {

class PoolSet {
 public:
  // Draws for the weighted choice (any 64-bit value; injectable for tests). Called from any thread.
  using RandomSource = std::function<std::uint64_t()>;
  // Whether a released container may be handed back to its address (sticky_window).
  enum class Reuse { allowed, never };

  // `host_keys`: the sensor's public host keys for every pool's containers (ContainerPool).
  PoolSet(asio::any_io_executor executor, DockerClient& docker, const config::Config& config,
          std::string sensor, std::vector<PublicHostKey> host_keys = {}, RandomSource random = {});
  ~PoolSet();

  // Starts every profile's pool (each checks its image first). Pools already started by an
  // earlier, failed call are kept, so a retry after the engine vanished resumes.
  asio::awaitable<Result<void>> start();
  // The address's previous container when sticky and still there, else a container of a
  // profile chosen by weight (waiting up to spawn_timeout for that profile's pool).
  asio::awaitable<Result<Lease>> acquire(std::string session_id, std::string source_ip);
  // Stops the container (kept); with Reuse::allowed and a sticky window, remembers it for the
  // lease's address.
  asio::awaitable<void> release(Lease lease, Reuse reuse);
  asio::awaitable<void> shutdown();

  std::size_t ready_count() const;
  bool available() const;  // every profile's pool is available
  void container_ended(std::string id, std::string action);
  void engine_lost();
  void engine_back();
  // The pools' ready and leased containers, and sticky containers restarted for a session.
  asio::awaitable<std::unordered_set<std::string>> in_use();

 private:
  asio::awaitable<Result<Lease>> reuse(StickyContainer sticky, std::string session_id, std::string source_ip);
  std::size_t draw_profile();
  void reuse_ended(const std::string& container_id);

  DockerClient& docker_;
  const std::string sensor_;
  const std::vector<config::ImageProfile> profiles_;
  std::vector<std::unique_ptr<ContainerPool>> pools_;
  std::vector<bool> started_;
  RandomSource random_;

  mutable std::mutex mutex_;  // guards what follows
  StickyTable sticky_;
  std::unordered_set<std::string> reused_;  // sticky containers being restarted or leased again
};

}  // namespace hermes::sandbox
