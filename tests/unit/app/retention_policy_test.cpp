#include "app/retention_policy.hpp"

#include <gtest/gtest.h>

#include <set>

namespace hermes::app {
namespace {

using namespace std::chrono_literals;

const Clock::time_point kNow = Clock::time_point(std::chrono::hours(24 * 20000));

StoppedContainer stopped(const std::string& name, Clock::duration ago) {
  return StoppedContainer{"id-" + name, name, "s-" + name, kNow - ago, ""};
}

std::vector<std::string> names_of(const std::vector<ContainerRemoval>& removals) {
  std::vector<std::string> out;
  for (const auto& r : removals) out.push_back(r.container.name + ":" + reason_name(r.reason));
  return out;
}

TEST(ContainerRemovals, NothingGoesWithoutLimits) {
  const auto removals = select_container_removals({stopped("a", 1000h), stopped("b", 1h)}, kNow, 0s, 0);
  EXPECT_TRUE(removals.empty());
}

TEST(ContainerRemovals, AgeLimitTakesOnlyThoseStoppedLongerAgo) {
  const auto removals =
      select_container_removals({stopped("new", 1h), stopped("old", 200h), stopped("edge", 168h)}, kNow, 168h, 0);
  EXPECT_EQ(names_of(removals), (std::vector<std::string>{"old:age", "edge:age"}));
}

TEST(ContainerRemovals, CountCapRemovesTheOldestStoppedFirst) {
  // Listed in no particular order; the two most recently stopped stay.
  const auto removals = select_container_removals(
      {stopped("c", 3h), stopped("a", 5h), stopped("e", 1h), stopped("b", 4h), stopped("d", 2h)}, kNow, 0s, 2);
  EXPECT_EQ(names_of(removals), (std::vector<std::string>{"a:count", "b:count", "c:count"}));
}

TEST(ContainerRemovals, AgeRemovalsCountTowardsTheCapAndAreNamedAsSuch) {
  const auto removals = select_container_removals(
      {stopped("ancient", 400h), stopped("old", 300h), stopped("mid", 50h), stopped("recent", 1h)}, kNow, 168h, 1);
  EXPECT_EQ(names_of(removals), (std::vector<std::string>{"ancient:age", "old:age", "mid:count"}));
}

TEST(ContainerRemovals, AtTheCapNothingGoes) {
  EXPECT_TRUE(select_container_removals({stopped("a", 2h), stopped("b", 1h)}, kNow, 0s, 2).empty());
}

TEST(ContainerRemovals, EqualStopTimesAreOrderedByName) {
  const auto removals = select_container_removals({stopped("z", 1h), stopped("m", 1h), stopped("a", 1h)}, kNow, 0s, 1);
  EXPECT_EQ(names_of(removals), (std::vector<std::string>{"a:count", "m:count"}));
}

StoredUnit unit(const std::string& session, std::uint64_t bytes, Clock::duration ago) {
  return StoredUnit{"recording", session, {"/r/" + session + ".cast"}, bytes, kNow - ago};
}

std::vector<std::string> sessions_of(const std::vector<StoredUnit>& units) {
  std::vector<std::string> out;
  for (const auto& u : units) out.push_back(u.session);
  return out;
}

const auto kNoneActive = [](const std::string&) { return false; };

TEST(DataRemovals, UnderTheCapNothingGoes) {
  EXPECT_TRUE(select_data_removals({unit("a", 100, 2h), unit("b", 100, 1h)}, 200, kNoneActive).empty());
}

TEST(DataRemovals, NoCapNothingGoes) {
  EXPECT_TRUE(select_data_removals({unit("a", 1'000'000, 2h)}, 0, kNoneActive).empty());
}

TEST(DataRemovals, OldestGoUntilTheRestFits) {
  const auto removed = select_data_removals(
      {unit("new", 100, 1h), unit("oldest", 100, 9h), unit("old", 100, 5h), unit("mid", 100, 3h)}, 250, kNoneActive);
  EXPECT_EQ(sessions_of(removed), (std::vector<std::string>{"oldest", "old"}));
}

TEST(DataRemovals, ActiveSessionsAreSkippedEvenIfTheCapStaysExceeded) {
  const std::set<std::string> active{"running"};
  const auto is_active = [&](const std::string& s) { return active.contains(s); };
  const auto removed =
      select_data_removals({unit("running", 1000, 10h), unit("done", 10, 5h), unit("latest", 10, 1h)}, 500, is_active);
  EXPECT_EQ(sessions_of(removed), (std::vector<std::string>{"done", "latest"}));
}

TEST(DataRemovals, ABigOldSessionMaySaveManySmallNewOnes) {
  const auto removed =
      select_data_removals({unit("big", 1000, 10h), unit("s1", 10, 2h), unit("s2", 10, 1h)}, 100, kNoneActive);
  EXPECT_EQ(sessions_of(removed), (std::vector<std::string>{"big"}));
}

}  // namespace
}  // namespace hermes::app
