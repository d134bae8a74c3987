// plan_reconcile: which of a sensor's listed containers are removed, stopped or left alone.
#include "sandbox/reconcile.hpp"

#include <gtest/gtest.h>

namespace hermes::sandbox {
namespace {

Json entry(std::string id, std::string name, std::string state) {
  return Json{{"Id", id}, {"Names", Json::array({"/" + name})}, {"State", state}};
}

TEST(PlanReconcile, RemovesPoolStopsRunningSessionsKeepsTheRest) {
  const Json listed = Json::array({
      entry("p1", "hermes-pool-edge-0a1b2c3d", "running"),
      entry("p2", "hermes-pool-edge-99999999", "exited"),
      entry("s1", "hermes-edge-a1b2c3d4e5f6", "running"),
      entry("s2", "hermes-edge-b1b2c3d4e5f6", "exited"),
      entry("x1", "someone-else", "running"),
      entry("u1", "hermes-pool-edge-inuse000", "running"),
      entry("u2", "hermes-edge-c1b2c3d4e5f6", "running"),
  });
  const auto steps = plan_reconcile(listed, "edge", {"u1", "u2"});
  ASSERT_EQ(steps.size(), 3u);
  EXPECT_EQ(steps[0].id, "p1");
  EXPECT_EQ(steps[0].action, ReconcileStep::Action::remove);
  EXPECT_EQ(steps[0].name, "hermes-pool-edge-0a1b2c3d");
  EXPECT_EQ(steps[1].id, "p2");
  EXPECT_EQ(steps[1].action, ReconcileStep::Action::remove);
  EXPECT_EQ(steps[2].id, "s1");
  EXPECT_EQ(steps[2].action, ReconcileStep::Action::stop);
  EXPECT_EQ(steps[2].session, "a1b2c3d4e5f6");
  EXPECT_EQ(action_name(steps[0].action), "removed");
  EXPECT_EQ(action_name(steps[2].action), "stopped");
}

TEST(PlanReconcile, SkipsMalformedEntries) {
  const Json listed = Json::array({
      42, Json::object(), Json{{"Id", "a"}}, Json{{"Id", 5}, {"Names", Json::array({"/hermes-pool-edge-1"})}},
      Json{{"Id", "b"}, {"Names", "hermes-pool-edge-1"}}, Json{{"Id", "c"}, {"Names", Json::array({7})}},
      Json{{"Id", "d"}, {"Names", Json::array({"/hermes-edge-a1b2c3d4e5f6"})}, {"State", 3}},
  });
  EXPECT_TRUE(plan_reconcile(listed, "edge", {}).empty());
  EXPECT_TRUE(plan_reconcile(Json::object(), "edge", {}).empty());
}

}  // namespace
}  // namespace hermes::sandbox
