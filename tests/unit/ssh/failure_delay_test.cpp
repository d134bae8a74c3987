#include "ssh/failure_delay.hpp"

#include <gtest/gtest.h>

#include <set>

namespace hermes::ssh {
namespace {

using std::chrono::milliseconds;

TEST(FailureDelay, UserFloorIsBetweenFiveAndNineMillisecondsAndStable) {
  for (const char* user : {"root", "admin", "ubuntu", "oracle", ""}) {
    const auto floor = user_floor("host-secret", user);
    EXPECT_GE(floor, FailureDuration(5000)) << user;
    EXPECT_LE(floor, FailureDuration(9295)) << user;
    EXPECT_EQ(floor, user_floor("host-secret", user));
  }
  // Another host (secret) or another user: another floor (in general).
  EXPECT_NE(user_floor("host-secret", "root"), user_floor("other-host", "root"));
  EXPECT_NE(user_floor("host-secret", "root"), user_floor("host-secret", "admin"));
}

TEST(FailureDelay, PamDelayIsTwoSecondsRandomisedByHalf) {
  EXPECT_EQ(pam_delay(0.5, 0.5, 0.5), FailureDuration(2'000'000));
  EXPECT_EQ(pam_delay(0, 0, 0), FailureDuration(1'000'000));
  EXPECT_EQ(pam_delay(1, 1, 1), FailureDuration(3'000'000));
}

TEST(FailureDelay, RoundsUpToTheFloorDoubled) {
  const FailureDuration floor(7000);
  EXPECT_EQ(rounded_up_to_floor(FailureDuration(1000), floor), floor);  // "none": the floor itself
  EXPECT_EQ(rounded_up_to_floor(FailureDuration(1'500'000), floor), FailureDuration(7000 * 256));
  EXPECT_EQ(rounded_up_to_floor(FailureDuration(7000 * 256), floor), FailureDuration(7000 * 256));
  EXPECT_EQ(rounded_up_to_floor(FailureDuration(7000 * 256 + 1), floor), FailureDuration(7000 * 512));
}

TEST(FailureDelay, PersonaGivesOneUserFewValuesAFactorTwoApart) {
  const FailureDelay delay(std::nullopt, "host-secret");
  EXPECT_TRUE(delay.enabled());
  std::set<long long> seen;
  for (double u = 0.0; u < 1.0; u += 0.01) seen.insert(delay.next("root", u, u, 1.0 - u / 2).count());
  ASSERT_GE(seen.size(), 1u);
  ASSERT_LE(seen.size(), 3u);  // PAM spans a factor 3 at most: at most 3 powers of two
  const long long smallest = *seen.begin();
  for (long long value : seen) {
    EXPECT_EQ(value % smallest, 0);
    EXPECT_TRUE(value == smallest || value == 2 * smallest || value == 4 * smallest);
    EXPECT_GE(value, 1'000'000);  // never faster than PAM's shortest delay
    EXPECT_LT(value, 6'000'000);  // never more than twice PAM's longest
  }
}

TEST(FailureDelay, DrawnDelaysStayInRange) {
  const FailureDelay delay(std::nullopt, "secret");
  for (int i = 0; i < 200; ++i) {
    const auto d = delay.next("user" + std::to_string(i % 7));
    EXPECT_GE(d, milliseconds(1000));
    EXPECT_LT(d, milliseconds(6000));
  }
}

TEST(FailureDelay, FixedDelayReplacesTheModel) {
  const FailureDelay zero(0.0, "secret");
  EXPECT_FALSE(zero.enabled());
  EXPECT_EQ(zero.next("root"), FailureDuration::zero());
  const FailureDelay quarter(0.25, "secret");
  EXPECT_TRUE(quarter.enabled());
  EXPECT_EQ(quarter.next("root"), milliseconds(250));
  EXPECT_EQ(quarter.next("root", 0, 0, 0), milliseconds(250));
  const FailureDelay huge(1e9, "secret");  // clamped: never a timer that outlives everything
  EXPECT_EQ(huge.next("root"), std::chrono::seconds(30));
}

}  // namespace
}  // namespace hermes::ssh
