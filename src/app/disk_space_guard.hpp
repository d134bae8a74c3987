#pragma once
// retention.min_free_space: below this much free space in the directories Hermes records into,
// a new session would be recorded badly (truncated cast, missing sidecar, lost events), so it is
// refused instead. Asked on every correct password, so the answer is cached for a second; the
// operator log says when the state changes (low, then recovered), not on every refusal.
// Thread-safe: connections on any strand ask.
#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace hermes::app {

class DiskSpaceGuard {
 public:
  // Free bytes (for an unprivileged writer) of the filesystem holding `dir`; nullopt if unknown.
  using FreeSpaceProbe = std::function<std::optional<std::uint64_t>(const std::string& dir)>;
  using SteadyClock = std::function<std::chrono::steady_clock::time_point()>;

  DiskSpaceGuard(std::vector<std::string> dirs, std::uint64_t min_free_bytes,
                 FreeSpaceProbe probe = statvfs_free_bytes, SteadyClock clock = std::chrono::steady_clock::now);

  // True when every directory has at least min_free_bytes free (always true when that is 0).
  // A directory whose free space cannot be read does not block sessions (the log says why).
  bool enough_space();

  static std::optional<std::uint64_t> statvfs_free_bytes(const std::string& dir);

 private:
  bool measure();  // the uncached answer; logs on state change

  std::vector<std::string> dirs_;
  std::uint64_t min_free_bytes_;
  FreeSpaceProbe probe_;
  SteadyClock clock_;
  std::mutex mutex_;
  std::optional<std::chrono::steady_clock::time_point> measured_at_;
  bool enough_ = true;
};

}  // namespace hermes::app
