// The engine event stream, piece by piece: line splitting with a size bound, event parsing that
// survives anything, and DockerClient::container_events against the scripted fake engine.
#include "sandbox/engine_events.hpp"

#include <gtest/gtest.h>

#include "sandbox/docker_client.hpp"
#include "unit/sandbox/fake_engine.hpp"

namespace hermes::sandbox {
namespace {

using namespace std::chrono_literals;
using testing::FakeEngine;
using testing::Reply;
using testing::Request;
using testing::run;

constexpr std::string_view kDie =
    R"({"status":"die","id":"abc123","from":"img","Type":"container","Action":"die",)"
    R"("Actor":{"ID":"abc123","Attributes":{"name":"hermes-pool-s-1","exitCode":"137"}},"time":1})";

TEST(LineSplitter, JoinsPiecesAndSplitsOnNewlines) {
  LineSplitter splitter(100);
  std::vector<std::string> lines;
  splitter.feed("ab", lines);
  EXPECT_TRUE(lines.empty());
  splitter.feed("c\r\nde\n\nf", lines);
  EXPECT_EQ(lines, (std::vector<std::string>{"abc", "de"}));
  splitter.feed("\n", lines);
  EXPECT_EQ(lines.back(), "f");
  EXPECT_EQ(splitter.dropped(), 0u);
}

TEST(LineSplitter, DropsOverlongLinesWholeAndKeepsGoing) {
  LineSplitter splitter(8);
  std::vector<std::string> lines;
  splitter.feed("12345", lines);
  splitter.feed("6789", lines);          // now over the bound: discarded
  splitter.feed(std::string(1000, 'x'), lines);
  splitter.feed("x\nok\n", lines);
  EXPECT_EQ(lines, (std::vector<std::string>{"ok"}));
  EXPECT_EQ(splitter.dropped(), 1u);
  splitter.feed("12345678\n", lines);  // exactly the bound is fine
  EXPECT_EQ(lines.back(), "12345678");
}

TEST(ContainerEvents, ParsesDockersEventLine) {
  const auto event = parse_container_event(kDie);
  ASSERT_TRUE(event);
  EXPECT_EQ(event->action, "die");
  EXPECT_EQ(event->id, "abc123");
  EXPECT_EQ(event->name, "hermes-pool-s-1");
  EXPECT_TRUE(ends_container(event->action));
  EXPECT_TRUE(ends_container("oom"));
  EXPECT_TRUE(ends_container("destroy"));
  EXPECT_FALSE(ends_container("start"));
  EXPECT_FALSE(ends_container("exec_create: /bin/sh"));
}

TEST(ContainerEvents, RefusesWhatIsNotAContainerEvent) {
  EXPECT_FALSE(parse_container_event(""));
  EXPECT_FALSE(parse_container_event("not json"));
  EXPECT_FALSE(parse_container_event("[1,2]"));
  EXPECT_FALSE(parse_container_event(R"({"Type":"network","Action":"die","Actor":{"ID":"x"}})"));
  EXPECT_FALSE(parse_container_event(R"({"Type":"container","Action":"die"})"));
  EXPECT_FALSE(parse_container_event(R"({"Type":"container","Action":"die","Actor":{"ID":7}})"));
  EXPECT_FALSE(parse_container_event(R"({"Type":"container","Action":"die","Actor":"x"})"));
  const std::string huge_id = R"({"Type":"container","Action":"die","Actor":{"ID":")" + std::string(500, 'a') + "\"}}";
  EXPECT_FALSE(parse_container_event(huge_id));
  // A name of the wrong type is ignored, not fatal.
  const auto event = parse_container_event(
      R"({"Type":"container","Action":"oom","Actor":{"ID":"x","Attributes":{"name":5}}})");
  ASSERT_TRUE(event);
  EXPECT_EQ(event->name, "");
}

// Chunk framing without the terminating chunk: the engine keeps the stream open.
std::string open_chunked(std::initializer_list<std::string_view> pieces) {
  std::string out = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
  for (auto piece : pieces) {
    char size[32];
    std::snprintf(size, sizeof size, "%zx\r\n", piece.size());
    out += size;
    out += piece;
    out += "\r\n";
  }
  return out;
}

class EventStreamTest : public ::testing::Test {
 protected:
  void engine(FakeEngine::Script script) {
    fake_ = std::make_unique<FakeEngine>(io_, std::move(script));
    client_ = std::make_unique<DockerClient>(io_.get_executor(), fake_->endpoint(), 300ms);
  }
  asio::io_context io_;
  std::unique_ptr<FakeEngine> fake_;
  std::unique_ptr<DockerClient> client_;
};

TEST_F(EventStreamTest, SendsFiltersAndDecodesChunksUntilTheEngineCloses) {
  const std::string line = std::string(kDie) + "\n";
  engine([&](const Request&) {
    return Reply{open_chunked({line.substr(0, 20), line.substr(20)}), Reply::After::close};
  });
  auto stream = run(io_, client_->container_events("hermes.sensor=s", {"die", "oom"}));
  ASSERT_TRUE(stream) << stream.error().message;
  const auto& request = fake_->requests().back();
  const std::string target(request.target());
  EXPECT_EQ(target.rfind("/v1.41/events?filters=", 0), 0u) << target;
  EXPECT_NE(target.find("hermes.sensor%3Ds"), std::string::npos) << target;
  EXPECT_NE(target.find("container"), std::string::npos) << target;

  std::string received;
  for (int i = 0; i < 10; ++i) {
    auto bytes = run(io_, (*stream)->read_some());
    if (!bytes || bytes->empty()) break;
    received += *bytes;
  }
  EXPECT_EQ(received, line);
  // The connection closed in the middle of the chunked body: the stream is over.
  auto after = run(io_, (*stream)->read_some());
  EXPECT_TRUE(!after || after->empty());
}

TEST_F(EventStreamTest, AQuietStreamIsNotTimedOutButCloseEndsIt) {
  engine([](const Request&) { return Reply{open_chunked({"{}\n"}), Reply::After::hold}; });
  auto stream = run(io_, client_->container_events("hermes.sensor=s", {}));
  ASSERT_TRUE(stream) << stream.error().message;
  auto& events = **stream;
  EXPECT_EQ(run(io_, events.read_some()).value_or("?"), "{}\n");
  // Past the 300 ms request timeout, a quiet engine keeps the stream open until close().
  const auto result = run(io_, [&]() -> asio::awaitable<Result<std::string>> {
    asio::steady_timer later(co_await asio::this_coro::executor, 600ms);
    later.async_wait([&](boost::system::error_code) { events.close(); });
    co_return co_await events.read_some();
  }());
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().message.find("closed"), std::string::npos) << result.error().message;
}

TEST_F(EventStreamTest, RefusalAndSilenceAreErrors) {
  engine([](const Request&) { return Reply{testing::http_response(500, "Server Error", R"({"message":"boom"})")}; });
  auto refused = run(io_, client_->container_events("hermes.sensor=s", {}));
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("boom"), std::string::npos) << refused.error().message;

  engine([](const Request&) { return Reply{"", Reply::After::hold}; });
  auto silent = run(io_, client_->container_events("hermes.sensor=s", {}));
  ASSERT_FALSE(silent);
  EXPECT_NE(silent.error().message.find("timed out"), std::string::npos) << silent.error().message;
}

}  // namespace
}  // namespace hermes::sandbox
