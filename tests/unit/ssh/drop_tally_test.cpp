#include "ssh/drop_tally.hpp"

#include <gtest/gtest.h>

namespace hermes::ssh {
namespace {

using namespace std::chrono_literals;
const auto t0 = std::chrono::system_clock::time_point(std::chrono::hours(500000));

uint64_t total_count(const std::vector<DropSummary>& summaries) {
  uint64_t n = 0;
  for (const auto& s : summaries) n += s.count;
  return n;
}

TEST(DropTally, FirstDropOfAPairIsReportedAtOnceTheRestSummedAtWindowEnd) {
  DropTally tally(10s, 8);
  auto first = tally.record("192.0.2.1", 40000, AdmissionRefusal::max_connections_per_ip, t0);
  EXPECT_TRUE(first.window_opened);
  ASSERT_TRUE(first.report_now);
  EXPECT_EQ(first.report_now->count, 1u);
  EXPECT_EQ(first.report_now->port, 40000);
  for (int i = 0; i < 999; ++i) {
    auto again = tally.record("192.0.2.1", 40001, AdmissionRefusal::max_connections_per_ip, t0 + 1s);
    EXPECT_FALSE(again.report_now);
    EXPECT_FALSE(again.window_opened);
  }
  EXPECT_EQ(tally.window_total(), 1000u);
  const auto sums = tally.end_window();
  ASSERT_EQ(sums.size(), 1u);
  EXPECT_EQ(sums[0].address, "192.0.2.1");
  EXPECT_EQ(sums[0].reason, AdmissionRefusal::max_connections_per_ip);
  EXPECT_EQ(sums[0].count, 999u);
  EXPECT_EQ(sums[0].window_start, t0);
  EXPECT_FALSE(tally.window_open());
}

TEST(DropTally, ReasonsAndAddressesAreSeparatePairs) {
  DropTally tally(10s, 8);
  EXPECT_TRUE(tally.record("192.0.2.1", 1, AdmissionRefusal::max_connections_per_ip, t0).report_now);
  EXPECT_TRUE(tally.record("192.0.2.1", 2, AdmissionRefusal::connection_rate_per_ip, t0).report_now);
  EXPECT_TRUE(tally.record("192.0.2.2", 3, AdmissionRefusal::connection_rate_per_ip, t0).report_now);
  EXPECT_TRUE(tally.end_window().empty());  // each was reported at once, nothing left to sum
  EXPECT_EQ(tally.window_total(), 0u);
}

TEST(DropTally, ANewWindowReportsItsFirstDropAgain) {
  DropTally tally(10s, 8);
  tally.record("192.0.2.1", 1, AdmissionRefusal::max_connections, t0);
  tally.end_window();
  auto next = tally.record("192.0.2.1", 1, AdmissionRefusal::max_connections, t0 + 11s);
  EXPECT_TRUE(next.window_opened);
  EXPECT_TRUE(next.report_now);
}

TEST(DropTally, PairsBeyondTheCapGoToOneOverflowSummary) {
  DropTally tally(10s, 3);
  int immediate = 0;
  for (int i = 0; i < 5000; ++i) {
    const auto reason = i % 2 ? AdmissionRefusal::connection_rate_per_ip : AdmissionRefusal::max_connections;
    if (tally.record("10.0.0." + std::to_string(i % 250), 1, reason, t0).report_now) ++immediate;
  }
  EXPECT_EQ(immediate, 3);
  const auto sums = tally.end_window();
  EXPECT_LE(sums.size(), 4u);  // three pairs' sums and one overflow
  EXPECT_EQ(total_count(sums) + immediate, 5000u);
  const auto& overflow = sums.back();
  EXPECT_TRUE(overflow.address.empty());
  EXPECT_EQ(overflow.reason, AdmissionRefusal::none);
  uint64_t by_reason = 0;
  for (const auto& [name, n] : overflow.reasons) by_reason += n;
  EXPECT_EQ(by_reason, overflow.count);
  EXPECT_TRUE(overflow.reasons.contains("connection_rate_per_ip"));
}

}  // namespace
}  // namespace hermes::ssh
