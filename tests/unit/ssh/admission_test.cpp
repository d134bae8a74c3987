#include "ssh/admission.hpp"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace hermes::ssh {
namespace {

namespace asio = boost::asio;
using std::chrono::steady_clock;
using namespace std::chrono_literals;

struct FakeClock {
  steady_clock::time_point now{std::chrono::hours(1)};
  Admission::Clock fn() {
    return [this] { return now; };
  }
};

asio::ip::address ip(const char* text) { return asio::ip::make_address(text); }

AdmissionLimits limits(int overall, int per_ip, int rate, std::size_t table = 65536) {
  return AdmissionLimits{overall, per_ip, rate, table};
}

TEST(Admission, OverallLimitCountsOpenConnectionsAndFreesOnRelease) {
  FakeClock clock;
  Admission admission(limits(2, 0, 0), clock.fn());
  auto a = admission.admit(ip("192.0.2.1"));
  auto b = admission.admit(ip("192.0.2.2"));
  ASSERT_TRUE(a.ticket && b.ticket);
  auto c = admission.admit(ip("192.0.2.3"));
  EXPECT_FALSE(c.ticket);
  EXPECT_EQ(c.refusal, AdmissionRefusal::max_connections);
  EXPECT_EQ(admission.open_connections(), 2u);
  a.ticket.release();
  EXPECT_EQ(admission.open_connections(), 1u);
  EXPECT_TRUE(admission.admit(ip("192.0.2.3")).ticket);
}

TEST(Admission, PerAddressLimitLeavesOtherAddressesAlone) {
  FakeClock clock;
  Admission admission(limits(0, 2, 0), clock.fn());
  auto a = admission.admit(ip("198.51.100.7"));
  auto b = admission.admit(ip("198.51.100.7"));
  auto c = admission.admit(ip("198.51.100.7"));
  EXPECT_TRUE(a.ticket && b.ticket);
  EXPECT_EQ(c.refusal, AdmissionRefusal::max_connections_per_ip);
  EXPECT_TRUE(admission.admit(ip("198.51.100.8")).ticket);
  {
    Admission::Ticket gone = std::move(b.ticket);
  }
  EXPECT_EQ(admission.open_connections(ip("198.51.100.7")), 1u);
  EXPECT_TRUE(admission.admit(ip("198.51.100.7")).ticket);
}

TEST(Admission, Ipv4MappedIpv6IsTheSameAddress) {
  FakeClock clock;
  Admission admission(limits(0, 1, 0), clock.fn());
  auto a = admission.admit(ip("203.0.113.5"));
  ASSERT_TRUE(a.ticket);
  auto b = admission.admit(ip("::ffff:203.0.113.5"));
  EXPECT_EQ(b.refusal, AdmissionRefusal::max_connections_per_ip);
  EXPECT_EQ(admission.open_connections(ip("::ffff:203.0.113.5")), 1u);
  EXPECT_TRUE(admission.admit(ip("2001:db8::5")).ticket);
}

TEST(Admission, RateBucketHoldsOneMinuteAndRefillsContinuously) {
  FakeClock clock;
  Admission admission(limits(0, 0, 6), clock.fn());  // one token per 10 s
  for (int i = 0; i < 6; ++i) EXPECT_TRUE(admission.admit(ip("192.0.2.9")).ticket) << i;
  EXPECT_EQ(admission.admit(ip("192.0.2.9")).refusal, AdmissionRefusal::connection_rate_per_ip);
  clock.now += 9s;
  EXPECT_EQ(admission.admit(ip("192.0.2.9")).refusal, AdmissionRefusal::connection_rate_per_ip);
  clock.now += 1s;
  EXPECT_TRUE(admission.admit(ip("192.0.2.9")).ticket);
  EXPECT_FALSE(admission.admit(ip("192.0.2.9")).ticket);
  // Refused attempts cost nothing: 20 s later exactly two more get in.
  clock.now += 20s;
  EXPECT_TRUE(admission.admit(ip("192.0.2.9")).ticket);
  EXPECT_TRUE(admission.admit(ip("192.0.2.9")).ticket);
  EXPECT_FALSE(admission.admit(ip("192.0.2.9")).ticket);
  // Never more than one minute's worth, however long the address was away.
  clock.now += 1h;
  for (int i = 0; i < 6; ++i) EXPECT_TRUE(admission.admit(ip("192.0.2.9")).ticket) << i;
  EXPECT_FALSE(admission.admit(ip("192.0.2.9")).ticket);
}

TEST(Admission, OverallLimitIsCheckedBeforeTheRateAndSpendsNoToken) {
  FakeClock clock;
  Admission admission(limits(1, 0, 2), clock.fn());
  auto first = admission.admit(ip("192.0.2.1"));
  ASSERT_TRUE(first.ticket);
  EXPECT_EQ(admission.admit(ip("192.0.2.1")).refusal, AdmissionRefusal::max_connections);
  first.ticket.release();
  EXPECT_TRUE(admission.admit(ip("192.0.2.1")).ticket);  // second token still there
}

TEST(Admission, IdleAddressesWithFullBucketsAreForgotten) {
  FakeClock clock;
  Admission admission(limits(0, 4, 60), clock.fn());  // one token per second
  for (int i = 0; i < 100; ++i) {
    const std::string address = "10.0." + std::to_string(i / 250) + "." + std::to_string(i % 250 + 1);
    EXPECT_TRUE(admission.admit(ip(address.c_str())).ticket);  // released at once
  }
  EXPECT_EQ(admission.tracked_addresses(), 100u);  // each spent a token: remembered
  auto held = admission.admit(ip("10.9.9.9"));
  clock.now += 61s;  // every bucket is full again; the routine sweep forgets the idle ones
  EXPECT_TRUE(admission.admit(ip("10.9.9.10")).ticket);
  // Left: the one with an open connection, and the newcomer whose bucket is one token short.
  EXPECT_EQ(admission.tracked_addresses(), 2u);
  held.ticket.release();
  EXPECT_EQ(admission.open_connections(), 0u);
}

TEST(Admission, ReleaseForgetsAnAddressAtOnceWhenNoRateIsKept) {
  FakeClock clock;
  Admission admission(limits(0, 3, 0), clock.fn());
  auto a = admission.admit(ip("192.0.2.1"));
  EXPECT_EQ(admission.tracked_addresses(), 1u);
  a.ticket.release();
  EXPECT_EQ(admission.tracked_addresses(), 0u);
}

TEST(Admission, FullTableRefusesUnknownAddressesUntilEntriesCanBeForgotten) {
  FakeClock clock;
  Admission admission(limits(0, 0, 60, 3), clock.fn());
  EXPECT_TRUE(admission.admit(ip("192.0.2.1")).ticket);
  EXPECT_TRUE(admission.admit(ip("192.0.2.2")).ticket);
  EXPECT_TRUE(admission.admit(ip("192.0.2.3")).ticket);
  // Table full, every bucket still short of a token: an untracked address gets no credit...
  const auto refused = admission.admit(ip("192.0.2.4"));
  EXPECT_EQ(refused.refusal, AdmissionRefusal::connection_rate_per_ip);
  // ...while known addresses keep their own buckets.
  EXPECT_TRUE(admission.admit(ip("192.0.2.1")).ticket);
  EXPECT_EQ(admission.tracked_addresses(), 3u);
  // Once buckets have refilled, a sweep makes room.
  clock.now += 2s;
  EXPECT_TRUE(admission.admit(ip("192.0.2.4")).ticket);
  EXPECT_LE(admission.tracked_addresses(), 3u);
}

TEST(Admission, FullTableWithoutRatesRefusesAsPerAddressLimit) {
  FakeClock clock;
  Admission admission(limits(0, 5, 0, 2), clock.fn());
  auto a = admission.admit(ip("192.0.2.1"));
  auto b = admission.admit(ip("192.0.2.2"));
  const auto c = admission.admit(ip("192.0.2.3"));
  EXPECT_EQ(c.refusal, AdmissionRefusal::max_connections_per_ip);
  a.ticket.release();  // forgotten at once: room again
  EXPECT_TRUE(admission.admit(ip("192.0.2.3")).ticket);
}

TEST(Admission, FloodFromManyAddressesStaysWithinTheTableCap) {
  FakeClock clock;
  Admission admission(limits(0, 32, 120, 1000), clock.fn());
  int admitted = 0;
  for (uint32_t i = 0; i < 20000; ++i) {
    const auto address = asio::ip::make_address_v4(0x0A000000u + i);
    if (admission.admit(address).ticket) ++admitted;
    if (i % 100 == 0) clock.now += 10ms;
  }
  EXPECT_LE(admission.tracked_addresses(), 1000u);
  EXPECT_GE(admitted, 1000);
  EXPECT_EQ(admission.open_connections(), 0u);
}

TEST(Admission, DisabledLimitsAdmitEverythingAndTrackNothing) {
  FakeClock clock;
  Admission admission(limits(0, 0, 0), clock.fn());
  std::vector<Admission::Ticket> tickets;
  for (int i = 0; i < 1000; ++i) tickets.push_back(admission.admit(ip("192.0.2.1")).ticket);
  EXPECT_EQ(admission.tracked_addresses(), 0u);
  EXPECT_EQ(admission.open_connections(), 1000u);
  tickets.clear();
  EXPECT_EQ(admission.open_connections(), 0u);
}

TEST(Admission, TicketsOutliveTheAdmissionAndReleaseFromAnyThread) {
  std::vector<Admission::Ticket> tickets;
  {
    Admission admission(limits(100, 100, 0));
    for (int i = 0; i < 50; ++i) tickets.push_back(admission.admit(ip("192.0.2.1")).ticket);
    std::vector<std::thread> threads;
    std::vector<Admission::Ticket> half(std::make_move_iterator(tickets.begin()),
                                        std::make_move_iterator(tickets.begin() + 25));
    for (auto& t : half) threads.emplace_back([ticket = std::move(t)]() mutable { ticket.release(); });
    for (auto& t : threads) t.join();
    EXPECT_EQ(admission.open_connections(), 25u);
  }
  tickets.clear();  // the shared state is still alive for them: no crash, no leak (ASan)
}

}  // namespace
}  // namespace hermes::ssh
