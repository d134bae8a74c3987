#include "app/disk_space_guard.hpp"

#include <sys/statvfs.h>

#include "common/log.hpp"

namespace hermes::app {
namespace {

constexpr auto kCacheFor = std::chrono::seconds(1);

std::string mib(std::uint64_t bytes) { return std::to_string(bytes / (1024 * 1024)) + " MiB"; }

}  // namespace

DiskSpaceGuard::DiskSpaceGuard(std::vector<std::string> dirs, std::uint64_t min_free_bytes,
                               FreeSpaceProbe probe, SteadyClock clock)
    : dirs_(std::move(dirs)), min_free_bytes_(min_free_bytes), probe_(std::move(probe)), clock_(std::move(clock)) {}

std::optional<std::uint64_t> DiskSpaceGuard::statvfs_free_bytes(const std::string& dir) {
  struct statvfs st {};
  if (::statvfs(dir.c_str(), &st) != 0) return std::nullopt;
  return static_cast<std::uint64_t>(st.f_bavail) * st.f_frsize;  // f_bavail: what non-root may use
}

bool DiskSpaceGuard::enough_space() {
  if (min_free_bytes_ == 0) return true;
  std::lock_guard lock(mutex_);
  const auto now = clock_();
  if (measured_at_ && now - *measured_at_ < kCacheFor) return enough_;
  measured_at_ = now;
  enough_ = measure();
  return enough_;
}

bool DiskSpaceGuard::measure() {
  for (const auto& dir : dirs_) {
    const auto free_bytes = probe_(dir);
    if (!free_bytes) {
      log::warn("retention", "cannot read the free space of " + dir);
      continue;
    }
    if (*free_bytes < min_free_bytes_) {
      if (enough_) {
        log::warn("retention", dir + " has " + mib(*free_bytes) + " free, below retention.min_free_space (" +
                                   mib(min_free_bytes_) + "): refusing new sessions until space is freed");
      }
      return false;
    }
  }
  if (!enough_) log::info("retention", "free space is back above retention.min_free_space: serving new sessions again");
  return true;
}

}  // namespace hermes::app
