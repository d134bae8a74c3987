#include "common/backoff.hpp"

#include <gtest/gtest.h>

namespace hermes {
namespace {

using std::chrono::seconds;

TEST(Backoff, DoublesFromOneSecondUpToThirty) {
  Backoff backoff;
  for (int expected : {1, 2, 4, 8, 16, 30, 30}) EXPECT_EQ(backoff.next(), seconds(expected));
}

TEST(Backoff, ResetStartsOverAtOneSecond) {
  Backoff backoff;
  backoff.next();
  backoff.next();
  backoff.reset();
  EXPECT_EQ(backoff.next(), seconds(1));
}

TEST(Backoff, SecondsTextIsWhatTheLogShows) { EXPECT_EQ(seconds_text(seconds(30)), "30 s"); }

}  // namespace
}  // namespace hermes
