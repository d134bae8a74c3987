#include "events/jsonl_sink.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <chrono>
#include <fstream>
#include <set>
#include <thread>

#include "unit/record/test_files.hpp"

namespace hermes::events {
namespace {

using hermes::testing::read_lines;
using hermes::testing::TempDir;
using nlohmann::json;

Event make_event(int thread, int n) {
  Event e;
  e.eventid = "hermes.command.input";
  e.connection = {"0123456789ab", "203.0.113.7", 50022, "192.0.2.1", 22};
  e.message = "CMD: echo";
  e.fields = {{"input", "echo " + std::to_string(n)}, {"thread", thread}, {"n", n}};
  return e;
}

std::shared_ptr<JsonLinesSink> open_sink(const std::string& path,
                                         JsonLinesSink::Limits limits = {}) {
  auto sink = JsonLinesSink::open(path, "test-sensor", limits);
  EXPECT_TRUE(sink) << (sink ? "" : sink.error().message);
  return sink ? *sink : nullptr;
}

TEST(JsonLinesSink, ManyThreadsPublishingGiveOneParsableLineEach) {
  TempDir dir;
  const std::string path = dir.file("events.jsonl");
  auto sink = open_sink(path);
  ASSERT_TRUE(sink);
  Bus bus;
  bus.subscribe(sink);
  constexpr int kThreads = 8, kPerThread = 2000;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&bus, t] {
      for (int n = 0; n < kPerThread; ++n) bus.publish(make_event(t, n));
    });
  }
  for (auto& th : threads) th.join();
  bus.flush();

  const auto lines = read_lines(path);
  ASSERT_EQ(lines.size(), static_cast<std::size_t>(kThreads * kPerThread));
  EXPECT_EQ(sink->dropped(), 0u);
  std::set<std::pair<int, int>> seen;
  std::vector<int> last_n(kThreads, -1);
  for (const auto& line : lines) {
    const json j = json::parse(line, nullptr, false);
    ASSERT_FALSE(j.is_discarded()) << line;
    EXPECT_EQ(j["sensor"], "test-sensor");
    const int t = j["thread"], n = j["n"];
    EXPECT_GT(n, last_n[t]) << "events of one thread must keep their order";
    last_n[t] = n;
    seen.insert({t, n});
  }
  EXPECT_EQ(seen.size(), lines.size());
}

TEST(JsonLinesSink, InvalidUtf8InAFieldIsReplacedNotThrown) {
  TempDir dir;
  const std::string path = dir.file("events.jsonl");
  auto sink = open_sink(path);
  ASSERT_TRUE(sink);
  Event e = make_event(0, 0);
  e.fields["password"] = "pa\xFF\xFEss";
  e.message = "bad \xC0\x80 bytes";
  EXPECT_NO_THROW(sink->write(e));
  sink->flush();
  const auto lines = read_lines(path);
  ASSERT_EQ(lines.size(), 1u);
  const json j = json::parse(lines[0]);
  EXPECT_EQ(j["password"], "pa\xEF\xBF\xBD\xEF\xBF\xBDss");
  EXPECT_EQ(j["message"].get<std::string>().substr(0, 4), "bad ");
}

TEST(JsonLinesSink, AppendsCreatesParentDirectoryAndUsesMode0640) {
  TempDir dir;
  const std::string path = dir.file("logs/deeper/events.jsonl");
  const mode_t old_mask = ::umask(022);
  {
    auto sink = open_sink(path);
    ASSERT_TRUE(sink);
    sink->write(make_event(0, 1));
  }  // destructor drains without an explicit flush
  ::umask(old_mask);
  {
    auto sink = open_sink(path);
    ASSERT_TRUE(sink);
    sink->write(make_event(0, 2));
  }
  const auto lines = read_lines(path);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(json::parse(lines[0])["n"], 1);
  EXPECT_EQ(json::parse(lines[1])["n"], 2);
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0640u);
}

TEST(JsonLinesSink, OpenFailureNamesThePath) {
  TempDir dir;
  std::ofstream(dir.file("file")) << "x";
  const std::string path = dir.file("file/events.jsonl");
  auto sink = JsonLinesSink::open(path, "s");
  ASSERT_FALSE(sink);
  EXPECT_NE(sink.error().message.find(path), std::string::npos) << sink.error().message;
}

TEST(JsonLinesSink, FullQueueDropsAndCountsWithAtMostOneWarningPerSecond) {
  TempDir dir;
  const std::string path = dir.file("events.jsonl");
  auto sink = open_sink(path, {.max_queued_events = 0});
  ASSERT_TRUE(sink);
  ::testing::internal::CaptureStderr();
  const auto started = std::chrono::steady_clock::now();
  for (int n = 0; n < 1000; ++n) sink->write(make_event(0, n));
  const auto elapsed = std::chrono::steady_clock::now() - started;
  const std::string log = ::testing::internal::GetCapturedStderr();
  sink->flush();
  EXPECT_EQ(sink->dropped(), 1000u);
  EXPECT_TRUE(read_lines(path).empty());
  std::size_t warnings = 0;
  for (std::size_t pos = 0; (pos = log.find("queue full", pos)) != std::string::npos; ++pos) {
    ++warnings;
  }
  EXPECT_GE(warnings, 1u);
  // One at the first drop, then at most one per full second the loop took (slow under TSan).
  const auto allowed = 1 + std::chrono::duration_cast<std::chrono::seconds>(elapsed).count();
  EXPECT_LE(warnings, static_cast<std::size_t>(allowed)) << log;
}

TEST(JsonLinesSink, ByteLimitDropsOversizedEvents) {
  TempDir dir;
  const std::string path = dir.file("events.jsonl");
  auto sink = open_sink(path, {.max_queued_bytes = 400});
  ASSERT_TRUE(sink);
  Event big = make_event(0, 0);
  big.fields["input"] = std::string(1000, 'x');
  ::testing::internal::CaptureStderr();
  sink->write(big);
  (void)::testing::internal::GetCapturedStderr();
  sink->write(make_event(0, 1));
  sink->flush();
  EXPECT_EQ(sink->dropped(), 1u);
  const auto lines = read_lines(path);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(json::parse(lines[0])["n"], 1);
}

TEST(JsonLinesSink, SmallQueueNeverLosesTrackOfAnEvent) {
  TempDir dir;
  const std::string path = dir.file("events.jsonl");
  auto sink = open_sink(path, {.max_queued_events = 4});
  ASSERT_TRUE(sink);
  constexpr int kEvents = 20000;
  ::testing::internal::CaptureStderr();
  for (int n = 0; n < kEvents; ++n) sink->write(make_event(0, n));
  (void)::testing::internal::GetCapturedStderr();
  sink->flush();
  const auto lines = read_lines(path);
  EXPECT_EQ(lines.size() + sink->dropped(), static_cast<std::size_t>(kEvents));
  for (const auto& line : lines) ASSERT_FALSE(json::parse(line, nullptr, false).is_discarded());
}

TEST(JsonLinesSink, FlushWithNothingQueuedReturns) {
  TempDir dir;
  auto sink = open_sink(dir.file("events.jsonl"));
  ASSERT_TRUE(sink);
  sink->flush();
  sink->flush();
  EXPECT_TRUE(read_lines(dir.file("events.jsonl")).empty());
}

}  // namespace
}  // namespace hermes::events
