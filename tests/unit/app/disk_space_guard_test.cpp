#include "app/disk_space_guard.hpp"

#include <gtest/gtest.h>

#include <map>

namespace hermes::app {
namespace {

using namespace std::chrono_literals;

struct FakeDisks {
  std::map<std::string, std::optional<std::uint64_t>> free;
  int probes = 0;
  std::chrono::steady_clock::time_point now{};

  DiskSpaceGuard guard(std::uint64_t min_free) {
    return DiskSpaceGuard(
        {"/rec", "/log"}, min_free,
        [this](const std::string& dir) {
          ++probes;
          return free[dir];
        },
        [this] { return now; });
  }
};

TEST(DiskSpaceGuard, ServesWhileEveryDirectoryHasEnough) {
  FakeDisks disks;
  disks.free = {{"/rec", 5000}, {"/log", 2000}};
  auto guard = disks.guard(1000);
  EXPECT_TRUE(guard.enough_space());
}

TEST(DiskSpaceGuard, RefusesWhenAnyDirectoryIsShort) {
  FakeDisks disks;
  disks.free = {{"/rec", 5000}, {"/log", 999}};
  auto guard = disks.guard(1000);
  EXPECT_FALSE(guard.enough_space());
}

TEST(DiskSpaceGuard, CachesForASecondThenSeesTheChange) {
  FakeDisks disks;
  disks.free = {{"/rec", 10}, {"/log", 5000}};
  auto guard = disks.guard(1000);
  EXPECT_FALSE(guard.enough_space());
  const int probes_after_first = disks.probes;
  disks.free["/rec"] = 5000;  // space freed
  disks.now += 500ms;
  EXPECT_FALSE(guard.enough_space());  // still the cached answer
  EXPECT_EQ(disks.probes, probes_after_first);
  disks.now += 600ms;
  EXPECT_TRUE(guard.enough_space());
}

TEST(DiskSpaceGuard, ZeroThresholdNeverProbes) {
  FakeDisks disks;
  auto guard = disks.guard(0);
  EXPECT_TRUE(guard.enough_space());
  EXPECT_EQ(disks.probes, 0);
}

TEST(DiskSpaceGuard, UnreadableDirectoryDoesNotBlockSessions) {
  FakeDisks disks;
  disks.free = {{"/rec", std::nullopt}, {"/log", 5000}};
  auto guard = disks.guard(1000);
  EXPECT_TRUE(guard.enough_space());
}

TEST(DiskSpaceGuard, RealStatvfsReadsTheTemporaryDirectory) {
  const auto free_bytes = DiskSpaceGuard::statvfs_free_bytes("/tmp");
  ASSERT_TRUE(free_bytes.has_value());
  EXPECT_GT(*free_bytes, 0u);
  EXPECT_FALSE(DiskSpaceGuard::statvfs_free_bytes("/no/such/dir").has_value());
}

}  // namespace
}  // namespace hermes::app
