// DockerClient against a scripted fake engine: the requests it sends (method, target, headers,
// body) and how it reads every kind of answer, including failures and hijacked streams.
#include "sandbox/docker_client.hpp"

#include <gtest/gtest.h>

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "unit/sandbox/fake_engine.hpp"

namespace hermes::sandbox {
namespace {

using namespace std::chrono_literals;
using testing::FakeEngine;
using testing::Reply;
using testing::Request;
using testing::chunked_response;
using testing::http_response;
using testing::run;
namespace http = boost::beast::http;

Reply json(int status, std::string_view body, std::string_view reason = "OK") {
  return Reply{http_response(status, reason, body)};
}

std::string header(const Request& request, http::field field) {
  return std::string(request[field]);
}

class DockerClientTest : public ::testing::Test {
 protected:
  // Installs the engine's script and a client pointed at it.
  void engine(FakeEngine::Script script, std::chrono::milliseconds timeout = 5s,
              FakeEngine::Transport transport = FakeEngine::Transport::unix_socket) {
    fake_ = std::make_unique<FakeEngine>(io_, std::move(script), transport);
    client_ = std::make_unique<DockerClient>(io_.get_executor(), fake_->endpoint(), timeout);
  }
  const Request& only_request() const {
    EXPECT_EQ(fake_->requests().size(), 1u);
    return fake_->requests().back();
  }

  asio::io_context io_;
  std::unique_ptr<FakeEngine> fake_;
  std::unique_ptr<DockerClient> client_;
};

TEST_F(DockerClientTest, PingLearnsAnOlderEngineVersionAndUsesItInPaths) {
  engine([](const Request& request) {
    if (request.target() == "/_ping") return Reply{http_response(200, "OK", "OK", "text/plain")};
    if (request.target() == "/version") return json(200, R"({"ApiVersion":"1.40","Version":"19.03"})");
    return json(200, R"({"Id":"abc"})");
  });
  const auto version = run(io_, client_->ping());
  ASSERT_TRUE(version) << version.error().message;
  EXPECT_EQ(*version, "1.40");
  ASSERT_TRUE(run(io_, client_->inspect_container("abc")));
  ASSERT_EQ(fake_->requests().size(), 3u);
  EXPECT_EQ(fake_->requests()[2].target(), "/v1.40/containers/abc/json");
  for (const auto& request : fake_->requests()) {
    EXPECT_EQ(header(request, http::field::host), "docker");
    EXPECT_EQ(request.method(), http::verb::get);
  }
}

TEST_F(DockerClientTest, WritableLayerSizeAsksForSizesAndReadsSizeRw) {
  engine([](const Request&) { return json(200, R"({"Id":"abc","SizeRw":4096})"); });
  const auto size = run(io_, client_->writable_layer_size("abc"));
  ASSERT_TRUE(size) << size.error().message;
  EXPECT_EQ(*size, 4096);
  EXPECT_EQ(only_request().target(), "/v1.41/containers/abc/json?size=1");
}

TEST_F(DockerClientTest, WritableLayerSizeFailsWhenTheEngineOmitsIt) {
  engine([](const Request&) { return json(200, R"({"Id":"abc"})"); });
  const auto size = run(io_, client_->writable_layer_size("abc"));
  ASSERT_FALSE(size);
  EXPECT_NE(size.error().message.find("SizeRw"), std::string::npos) << size.error().message;
}

TEST_F(DockerClientTest, PingNeverGoesAboveTheVersionThisClientKnows) {
  engine([](const Request& request) {
    if (request.target() == "/version") return json(200, R"({"ApiVersion":"1.45"})");
    return Reply{http_response(200, "OK", "OK", "text/plain")};
  });
  const auto version = run(io_, client_->ping());
  ASSERT_TRUE(version) << version.error().message;
  EXPECT_EQ(*version, "1.41");
}

TEST_F(DockerClientTest, PingFailsOnMalformedVersion) {
  engine([](const Request& request) {
    if (request.target() == "/version") return json(200, R"({"ApiVersion":"1.41/../x"})");
    return Reply{http_response(200, "OK", "OK", "text/plain")};
  });
  const auto version = run(io_, client_->ping());
  ASSERT_FALSE(version);
  EXPECT_NE(version.error().message.find("malformed ApiVersion"), std::string::npos);
}

TEST_F(DockerClientTest, PathsUseV141BeforePing) {
  engine([](const Request&) { return json(200, "[]"); });
  ASSERT_TRUE(run(io_, client_->list_containers("", true)));
  EXPECT_EQ(only_request().target(), "/v1.41/containers/json?all=1");
}

TEST_F(DockerClientTest, NonSuccessStatusCarriesMethodPathStatusAndDockersMessage) {
  engine([](const Request&) {
    return json(409, R"({"message":"Conflict. The container name \"/x\" is already in use"})", "Conflict");
  });
  const auto id = run(io_, client_->create_container(Json{{"Image", "hermes/t:1"}}, "x&y"));
  ASSERT_FALSE(id);
  EXPECT_EQ(id.error().code, 409);
  const auto& message = id.error().message;
  EXPECT_NE(message.find("POST /v1.41/containers/create"), std::string::npos) << message;
  EXPECT_NE(message.find("409"), std::string::npos) << message;
  EXPECT_NE(message.find("Conflict. The container name \"/x\" is already in use"), std::string::npos)
      << message;
  const auto& request = only_request();
  EXPECT_EQ(request.target(), "/v1.41/containers/create?name=x%26y");
  EXPECT_EQ(header(request, http::field::content_type), "application/json");
  EXPECT_EQ(Json::parse(request.body()), (Json{{"Image", "hermes/t:1"}}));
}

TEST_F(DockerClientTest, CreateContainerReturnsTheId) {
  engine([](const Request&) { return json(201, R"({"Id":"4fa6e0f0c678","Warnings":["memory limit ignored"]})"); });
  const auto id = run(io_, client_->create_container(Json::object(), ""));
  ASSERT_TRUE(id) << id.error().message;
  EXPECT_EQ(*id, "4fa6e0f0c678");
  EXPECT_EQ(only_request().target(), "/v1.41/containers/create");
}

TEST_F(DockerClientTest, CreateContainerRejectsAMalformedId) {
  engine([](const Request&) { return json(201, R"({"Id":"../../evil"})"); });
  const auto id = run(io_, client_->create_container(Json::object(), ""));
  ASSERT_FALSE(id);
  EXPECT_NE(id.error().message.find("malformed Id"), std::string::npos);
}

TEST_F(DockerClientTest, EngineNotAnsweringNamesTheEndpoint) {
  asio::io_context io;
  DockerEndpoint endpoint;
  endpoint.unix_socket = "/nonexistent-hermes-dir/docker.sock";
  DockerClient client(io.get_executor(), endpoint, 2s);
  const auto result = run(io, client.ping());
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().message.find("not answering at unix:///nonexistent-hermes-dir/docker.sock"),
            std::string::npos)
      << result.error().message;
  EXPECT_EQ(result.error().code, 0);
}

TEST_F(DockerClientTest, RefusedTcpConnectionSaysNotAnswering) {
  // Bind a loopback port, then close it: connecting there is refused.
  std::uint16_t port = 0;
  {
    FakeEngine closed(io_, [](const Request&) { return Reply{}; }, FakeEngine::Transport::tcp_loopback);
    port = closed.endpoint().tcp_port;
  }
  DockerEndpoint endpoint;
  endpoint.tcp_host = "127.0.0.1";
  endpoint.tcp_port = port;
  asio::io_context io;
  DockerClient client(io.get_executor(), endpoint, 2s);
  const auto result = run(io, client.image_exists("busybox"));
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().message.find("not answering at tcp://127.0.0.1:" + std::to_string(port)),
            std::string::npos)
      << result.error().message;
}

TEST_F(DockerClientTest, WorksOverTcp) {
  engine([](const Request&) { return json(200, R"({"Running":true,"ExitCode":null})"); }, 5s,
         FakeEngine::Transport::tcp_loopback);
  const auto state = run(io_, client_->inspect_exec("e1"));
  ASSERT_TRUE(state) << state.error().message;
  EXPECT_TRUE(state->running);
  EXPECT_EQ(state->exit_code, -1);
  EXPECT_EQ(only_request().target(), "/v1.41/exec/e1/json");
  EXPECT_EQ(header(only_request(), http::field::host), "docker");
}

TEST_F(DockerClientTest, SilentEngineTimesOut) {
  engine([](const Request&) { return Reply{"", Reply::After::hold}; }, 200ms);
  const auto started = std::chrono::steady_clock::now();
  const auto result = run(io_, client_->inspect_container("abc"));
  const auto elapsed = std::chrono::steady_clock::now() - started;
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().message.find("timed out after 200 ms"), std::string::npos)
      << result.error().message;
  EXPECT_GE(elapsed, 190ms);
  EXPECT_LT(elapsed, 3s);
}

TEST_F(DockerClientTest, OversizedBodyIsRefused) {
  engine([](const Request&) {
    return Reply{"HTTP/1.1 200 OK\r\nContent-Length: 17000000\r\n\r\n[", Reply::After::hold};
  });
  const auto result = run(io_, client_->list_containers("", true));
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().message.find("exceeds"), std::string::npos) << result.error().message;
}

TEST_F(DockerClientTest, GarbageInsteadOfHttpIsAnErrorNotACrash) {
  engine([](const Request&) { return Reply{"\x01\x02 not http at all\r\n\r\n"}; });
  const auto result = run(io_, client_->inspect_container("abc"));
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().message.find("GET /v1.41/containers/abc/json"), std::string::npos)
      << result.error().message;
}

TEST_F(DockerClientTest, ChunkedListWithLabelFilter) {
  const std::string body = R"([{"Id":"a","Labels":{"hermes.test":"r1"}},{"Id":"b"}])";
  engine([&](const Request&) { return Reply{chunked_response(200, body, 4)}; });
  const auto list = run(io_, client_->list_containers("hermes.test=r1", true));
  ASSERT_TRUE(list) << list.error().message;
  ASSERT_TRUE(list->is_array());
  EXPECT_EQ(list->size(), 2u);
  EXPECT_EQ(only_request().target(),
            "/v1.41/containers/json?all=1&filters=%7B%22label%22%3A%5B%22hermes.test%3Dr1%22%5D%7D");
}

TEST_F(DockerClientTest, RuntimeNamesComeFromInfo) {
  engine([](const Request&) {
    return json(200, R"({"Runtimes":{"runsc":{"path":"/usr/bin/runsc"},"runc":{"path":"runc"}}})");
  });
  const auto names = run(io_, client_->runtime_names());
  ASSERT_TRUE(names) << names.error().message;
  EXPECT_EQ(*names, (std::vector<std::string>{"runc", "runsc"}));
  EXPECT_EQ(only_request().method(), http::verb::get);
  EXPECT_EQ(only_request().target(), "/v1.41/info");
}

TEST_F(DockerClientTest, ListRejectsNonArray) {
  engine([](const Request&) { return json(200, R"({"not":"a list"})"); });
  EXPECT_FALSE(run(io_, client_->list_containers("a=b", false)));
}

TEST_F(DockerClientTest, StopTreatsNotModifiedAsSuccess) {
  engine([](const Request&) { return Reply{"HTTP/1.1 304 Not Modified\r\n\r\n"}; });
  const auto result = run(io_, client_->stop_container("c1", 5));
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(only_request().method(), http::verb::post);
  EXPECT_EQ(only_request().target(), "/v1.41/containers/c1/stop?t=5");
}

TEST_F(DockerClientTest, StartTreatsNotModifiedAsSuccess) {
  engine([](const Request&) { return Reply{"HTTP/1.1 304 Not Modified\r\n\r\n"}; });
  EXPECT_TRUE(run(io_, client_->start_container("c1")));
  EXPECT_EQ(only_request().target(), "/v1.41/containers/c1/start");
}

TEST_F(DockerClientTest, RemoveMissingContainerIs404) {
  engine([](const Request&) { return json(404, R"({"message":"No such container: c1"})", "Not Found"); });
  const auto result = run(io_, client_->remove_container("c1", true));
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, 404);
  EXPECT_NE(result.error().message.find("No such container: c1"), std::string::npos);
  EXPECT_EQ(only_request().method(), http::verb::delete_);
  EXPECT_EQ(only_request().target(), "/v1.41/containers/c1?force=1&v=1");
}

TEST_F(DockerClientTest, IdsAreEncodedAsOnePathSegment) {
  engine([](const Request&) { return Reply{"HTTP/1.1 204 No Content\r\n\r\n"}; });
  ASSERT_TRUE(run(io_, client_->rename_container("../images/x", "hermes-s1-sess 1")));
  EXPECT_EQ(only_request().target(), "/v1.41/containers/..%2Fimages%2Fx/rename?name=hermes-s1-sess%201");
}

TEST_F(DockerClientTest, ImageExistsMapsStatuses) {
  int status = 200;
  engine([&](const Request&) { return json(status, R"({"message":"m"})"); });
  auto exists = run(io_, client_->image_exists("hermes/debian:12"));
  ASSERT_TRUE(exists) << exists.error().message;
  EXPECT_TRUE(*exists);
  EXPECT_EQ(fake_->requests().back().target(), "/v1.41/images/hermes/debian:12/json");
  status = 404;
  exists = run(io_, client_->image_exists("hermes/debian:12"));
  ASSERT_TRUE(exists);
  EXPECT_FALSE(*exists);
  status = 500;
  exists = run(io_, client_->image_exists("hermes/debian:12"));
  ASSERT_FALSE(exists);
  EXPECT_EQ(exists.error().code, 500);
}

TEST_F(DockerClientTest, ImageExistsRefusesNamesThatWouldLeaveTheImageRoute) {
  engine([](const Request&) { return json(200, "{}"); });
  for (const char* bad : {"../containers/x", "a b", "", "x/../../y", "a?b"}) {
    EXPECT_FALSE(run(io_, client_->image_exists(bad))) << bad;
  }
  EXPECT_TRUE(fake_->requests().empty());
}

TEST_F(DockerClientTest, ImportSendsTarWithEncodedRepeatedChanges) {
  engine([](const Request&) {
    return json(200, "{\"status\":\"sha256:0123\"}\r\n");
  });
  const std::string tar("tar\0bytes\xff", 10);
  const auto result = run(io_, client_->import_image(tar, "hermes/t", "1",
                                                     {"CMD [\"/sbin/init\"]", "ENV A=b&c"}));
  ASSERT_TRUE(result) << result.error().message;
  const auto& request = only_request();
  EXPECT_EQ(request.method(), http::verb::post);
  EXPECT_EQ(request.target(),
            "/v1.41/images/create?fromSrc=-&repo=hermes%2Ft&tag=1"
            "&changes=CMD%20%5B%22%2Fsbin%2Finit%22%5D&changes=ENV%20A%3Db%26c");
  EXPECT_EQ(header(request, http::field::content_type), "application/x-tar");
  EXPECT_EQ(request.body(), tar);
}

TEST_F(DockerClientTest, ImportFailsOnAnErrorInsideA200ProgressStream) {
  engine([](const Request&) {
    return Reply{chunked_response(200,
                                  "{\"status\":\"Downloading\"}\r\n"
                                  "{\"errorDetail\":{\"message\":\"archive/tar: invalid tar header\"},"
                                  "\"error\":\"archive/tar: invalid tar header\"}\r\n",
                                  3)};
  });
  const auto result = run(io_, client_->import_image("x", "hermes/t", "1", {}));
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().message.find("invalid tar header"), std::string::npos)
      << result.error().message;
}

TEST_F(DockerClientTest, WaitIsNotBoundedByTheRequestTimeout) {
  engine([](const Request&) { return Reply{http_response(200, "OK", R"({"StatusCode":7,"Error":null})"), Reply::After::close, 400ms}; },
         100ms);
  const auto status = run(io_, client_->wait_container("c1"));
  ASSERT_TRUE(status) << status.error().message;
  EXPECT_EQ(*status, 7);
  EXPECT_EQ(only_request().target(), "/v1.41/containers/c1/wait");
}

TEST_F(DockerClientTest, ResizeSendsHeightAndWidthAndRefusesNonsense) {
  engine([](const Request&) { return Reply{"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"}; });
  ASSERT_TRUE(run(io_, client_->resize_exec("e1", 120, 40)));
  EXPECT_EQ(fake_->requests().back().target(), "/v1.41/exec/e1/resize?h=40&w=120");
  ASSERT_TRUE(run(io_, client_->resize_container("c1", 80, 24)));
  EXPECT_EQ(fake_->requests().back().target(), "/v1.41/containers/c1/resize?h=24&w=80");
  EXPECT_FALSE(run(io_, client_->resize_exec("e1", 0, 24)));
  EXPECT_FALSE(run(io_, client_->resize_container("c1", 80, 70000)));
  EXPECT_EQ(fake_->requests().size(), 2u);
}

TEST_F(DockerClientTest, InspectExecReadsExitCode) {
  engine([](const Request&) { return json(200, R"({"Running":false,"ExitCode":3,"Pid":12})"); });
  const auto state = run(io_, client_->inspect_exec("e1"));
  ASSERT_TRUE(state) << state.error().message;
  EXPECT_FALSE(state->running);
  EXPECT_EQ(state->exit_code, 3);
}

TEST_F(DockerClientTest, CreateExecPassesTheSpecThrough) {
  const Json spec = {{"AttachStdin", true}, {"Tty", false}, {"Cmd", {"/bin/sh", "-c", "id"}}};
  engine([](const Request&) { return json(201, R"({"Id":"e123"})"); });
  const auto id = run(io_, client_->create_exec("c1", spec));
  ASSERT_TRUE(id) << id.error().message;
  EXPECT_EQ(*id, "e123");
  EXPECT_EQ(only_request().target(), "/v1.41/containers/c1/exec");
  EXPECT_EQ(Json::parse(only_request().body()), spec);
}

// Reads from `stream` until `wanted` bytes arrived or the stream ends.
asio::awaitable<Result<std::string>> read_at_least(HijackedStream& stream, std::size_t wanted) {
  std::string out;
  while (out.size() < wanted) {
    auto piece = co_await stream.read_some(4096);
    if (!piece) co_return piece;
    if (piece->empty()) break;
    out += *piece;
  }
  co_return out;
}

asio::awaitable<Result<std::string>> read_to_end(HijackedStream& stream) {
  co_return co_await read_at_least(stream, std::string::npos);
}

const char kUpgraded[] =
    "HTTP/1.1 101 UPGRADED\r\nContent-Type: application/vnd.docker.raw-stream\r\n"
    "Connection: Upgrade\r\nUpgrade: tcp\r\n\r\n";

TEST_F(DockerClientTest, StartExecUpgradesAndReturnsEarlyBytesFirst) {
  // The engine's first stream bytes arrive in the same write as the headers.
  engine([](const Request&) { return Reply{std::string(kUpgraded) + "EARLY", Reply::After::echo}; }, 100ms);
  auto stream = run(io_, client_->start_exec("e1", false));
  ASSERT_TRUE(stream) << stream.error().message;
  const auto& request = only_request();
  EXPECT_EQ(request.target(), "/v1.41/exec/e1/start");
  EXPECT_EQ(header(request, http::field::connection), "Upgrade");
  EXPECT_EQ(header(request, http::field::upgrade), "tcp");
  EXPECT_EQ(Json::parse(request.body()), (Json{{"Detach", false}, {"Tty", false}}));

  auto& hijacked = **stream;
  const auto early = run(io_, read_at_least(hijacked, 5));
  ASSERT_TRUE(early) << early.error().message;
  EXPECT_EQ(*early, "EARLY");

  // Idle for longer than the request timeout: the hijacked stream has none.
  run(io_, [&]() -> asio::awaitable<bool> {
    asio::steady_timer pause(co_await asio::this_coro::executor, 300ms);
    co_await pause.async_wait(asio::use_awaitable);
    co_return true;
  }());
  ASSERT_TRUE(run(io_, hijacked.write_all("hello")));
  hijacked.shutdown_write();  // the fake echoes until it sees our EOF, then ends its side
  const auto echoed = run(io_, read_to_end(hijacked));
  ASSERT_TRUE(echoed) << echoed.error().message;
  EXPECT_EQ(*echoed, "hello");
  for (int again = 0; again < 2; ++again) {  // end of stream stays end of stream
    const auto after_end = run(io_, hijacked.read_some(10));
    ASSERT_TRUE(after_end);
    EXPECT_EQ(*after_end, "");
  }
}

TEST_F(DockerClientTest, AttachAcceptsA200RawStream) {
  engine([](const Request&) {
    return Reply{"HTTP/1.1 200 OK\r\nContent-Type: application/vnd.docker.raw-stream\r\n\r\n$ ",
                 Reply::After::echo};
  });
  auto stream = run(io_, client_->attach_container("c1"));
  ASSERT_TRUE(stream) << stream.error().message;
  EXPECT_EQ(only_request().target(), "/v1.41/containers/c1/attach?stream=1&stdin=1&stdout=1&stderr=1");
  const auto prompt = run(io_, read_at_least(**stream, 2));
  ASSERT_TRUE(prompt);
  EXPECT_EQ(*prompt, "$ ");
  ASSERT_TRUE(run(io_, (*stream)->write_all("id\n")));
  const auto echoed = run(io_, read_at_least(**stream, 3));
  ASSERT_TRUE(echoed);
  EXPECT_EQ(*echoed, "id\n");
}

TEST_F(DockerClientTest, RefusedUpgradeReportsDockersMessage) {
  engine([](const Request&) { return json(404, R"({"message":"No such exec instance: e1"})", "Not Found"); });
  const auto stream = run(io_, client_->start_exec("e1", true));
  ASSERT_FALSE(stream);
  EXPECT_EQ(stream.error().code, 404);
  EXPECT_NE(stream.error().message.find("POST /v1.41/exec/e1/start"), std::string::npos);
  EXPECT_NE(stream.error().message.find("No such exec instance: e1"), std::string::npos);
}

TEST_F(DockerClientTest, UpgradeRequestItselfIsBounded) {
  engine([](const Request&) { return Reply{"", Reply::After::hold}; }, 150ms);
  const auto stream = run(io_, client_->attach_container("c1"));
  ASSERT_FALSE(stream);
  EXPECT_NE(stream.error().message.find("timed out"), std::string::npos) << stream.error().message;
}

TEST_F(DockerClientTest, CloseEndsAPendingRead) {
  engine([](const Request&) { return Reply{kUpgraded, Reply::After::hold}; });
  auto stream = run(io_, client_->start_exec("e1", true));
  ASSERT_TRUE(stream) << stream.error().message;
  auto& hijacked = **stream;
  const auto result = run(io_, [&]() -> asio::awaitable<Result<std::string>> {
    asio::steady_timer later(co_await asio::this_coro::executor, 50ms);
    later.async_wait([&](boost::system::error_code) { hijacked.close(); });
    co_return co_await hijacked.read_some(100);
  }());
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().message.find("closed"), std::string::npos) << result.error().message;
  EXPECT_FALSE(run(io_, hijacked.write_all("x")));
}

TEST_F(DockerClientTest, DestroyingTheStreamWhileAReadIsPendingIsSafe) {
  engine([](const Request&) { return Reply{kUpgraded, Reply::After::hold}; });
  auto stream = run(io_, client_->start_exec("e1", true));
  ASSERT_TRUE(stream) << stream.error().message;
  std::optional<Result<std::string>> outcome;
  asio::co_spawn(io_, (*stream)->read_some(100),
                 [&](std::exception_ptr, Result<std::string> r) { outcome = std::move(r); });
  io_.run_for(50ms);
  EXPECT_FALSE(outcome);
  stream->reset();
  io_.restart();
  for (int i = 0; i < 50 && !outcome; ++i) io_.run_one_for(100ms);
  ASSERT_TRUE(outcome);
  EXPECT_FALSE(*outcome);
}

}  // namespace
}  // namespace hermes::sandbox
