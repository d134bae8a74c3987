#pragma once
// A scripted stand-in for the Docker engine, for testing DockerClient's HTTP behaviour without
// Docker: it accepts connections on a Unix socket in a fresh temporary directory (or on a
// loopback TCP port), records each request and writes whatever raw bytes the test scripted,
// then closes, echoes (a hijacked stream) or holds the connection open.
#include <boost/asio/awaitable.hpp>
#include <boost/asio/basic_socket_acceptor.hpp>
#include <boost/asio/generic/stream_protocol.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "sandbox/docker_client.hpp"

namespace hermes::sandbox::testing {

using Request = boost::beast::http::request<boost::beast::http::string_body>;

struct Reply {
  enum class After { close, echo, hold };
  std::string raw;  // written as is; empty writes nothing
  After after = After::close;
  std::chrono::milliseconds delay{0};  // before writing `raw`
};

// "HTTP/1.1 <status> <reason>" with Content-Length and the body.
std::string http_response(int status, std::string_view reason, std::string_view body,
                          std::string_view content_type = "application/json");
// The same body sent with Transfer-Encoding: chunked, split into `pieces` chunks.
std::string chunked_response(int status, std::string_view body, int pieces);

class FakeEngine {
 public:
  enum class Transport { unix_socket, tcp_loopback };
  using Script = std::function<Reply(const Request&)>;

  FakeEngine(boost::asio::io_context& io, Script script, Transport transport = Transport::unix_socket);
  ~FakeEngine();
  FakeEngine(const FakeEngine&) = delete;
  FakeEngine& operator=(const FakeEngine&) = delete;

  DockerEndpoint endpoint() const { return endpoint_; }
  const std::vector<Request>& requests() const { return requests_; }
  std::string directory() const { return directory_; }

 private:
  boost::asio::awaitable<void> accept_loop();
  boost::asio::awaitable<void> serve(boost::asio::generic::stream_protocol::socket socket);

  boost::asio::io_context& io_;
  Script script_;
  std::string directory_;
  DockerEndpoint endpoint_;
  boost::asio::basic_socket_acceptor<boost::asio::generic::stream_protocol> acceptor_;
  std::vector<Request> requests_;
};

// Runs `operation` on `io` until it completes (the fake engine's accept loop never does).
template <class T>
T run(boost::asio::io_context& io, boost::asio::awaitable<T> operation,
      std::chrono::seconds limit = std::chrono::seconds(10));

}  // namespace hermes::sandbox::testing

#include "unit/sandbox/fake_engine_run.ipp"
