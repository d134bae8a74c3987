#include "sandbox/sticky_table.hpp"

#include <gtest/gtest.h>

namespace hermes::sandbox {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

StickyContainer container(std::string id, Clock::time_point ended) {
  return StickyContainer{std::move(id), "img:1", 0, "s-" + std::to_string(ended.time_since_epoch().count()), ended};
}

TEST(StickyTable, GivesTheContainerBackOnceWithinTheWindow) {
  const auto t0 = Clock::time_point{} + 1000s;
  StickyTable table(60s);
  table.remember("10.0.0.1", container("c1", t0));
  EXPECT_FALSE(table.take("10.0.0.2", t0 + 1s));
  auto back = table.take("10.0.0.1", t0 + 60s);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->container_id, "c1");
  EXPECT_EQ(back->image, "img:1");
  // Taken: a second session from the same address gets nothing (a fresh container).
  EXPECT_FALSE(table.take("10.0.0.1", t0 + 61s));
  EXPECT_EQ(table.size(), 0u);
}

TEST(StickyTable, ExpiresAfterTheWindow) {
  const auto t0 = Clock::time_point{} + 1000s;
  StickyTable table(60s);
  table.remember("10.0.0.1", container("c1", t0));
  table.remember("10.0.0.2", container("c2", t0 + 30s));
  EXPECT_FALSE(table.take("10.0.0.1", t0 + 61s));
  EXPECT_EQ(table.size(), 1u);
  EXPECT_TRUE(table.take("10.0.0.2", t0 + 61s));
}

TEST(StickyTable, TheLatestSessionOfAnAddressWins) {
  const auto t0 = Clock::time_point{} + 1000s;
  StickyTable table(60s);
  table.remember("10.0.0.1", container("c1", t0));
  table.remember("10.0.0.1", container("c2", t0 + 5s));
  EXPECT_EQ(table.size(), 1u);
  EXPECT_EQ(table.take("10.0.0.1", t0 + 6s)->container_id, "c2");
}

TEST(StickyTable, CapacityEvictsTheOldestEnded) {
  const auto t0 = Clock::time_point{} + 1000s;
  StickyTable table(600s, 3);
  for (int i = 0; i < 5; ++i) table.remember("a" + std::to_string(i), container("c" + std::to_string(i), t0 + i * 1s));
  EXPECT_EQ(table.size(), 3u);
  EXPECT_FALSE(table.take("a0", t0 + 10s));
  EXPECT_FALSE(table.take("a1", t0 + 10s));
  EXPECT_EQ(table.take("a4", t0 + 10s)->container_id, "c4");
}

TEST(StickyTable, ForgetsDestroyedContainersAndIgnoresAZeroWindow) {
  const auto t0 = Clock::time_point{} + 1000s;
  StickyTable table(60s);
  table.remember("10.0.0.1", container("c1", t0));
  table.forget_container("c1");
  table.forget_container("unknown");
  EXPECT_FALSE(table.take("10.0.0.1", t0));

  StickyTable off(0s);
  off.remember("10.0.0.1", container("c1", t0));
  EXPECT_EQ(off.size(), 0u);
  EXPECT_FALSE(off.take("10.0.0.1", t0));
  off.remember("", container("c1", t0));
  EXPECT_EQ(off.size(), 0u);
}

}  // namespace
}  // namespace hermes::sandbox
