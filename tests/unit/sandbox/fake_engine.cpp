#include "unit/sandbox/fake_engine.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <unistd.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <filesystem>
#include <stdexcept>

namespace hermes::sandbox::testing {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using GenericSocket = asio::generic::stream_protocol::socket;

std::string http_response(int status, std::string_view reason, std::string_view body,
                          std::string_view content_type) {
  return "HTTP/1.1 " + std::to_string(status) + " " + std::string(reason) +
         "\r\nContent-Type: " + std::string(content_type) +
         "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + std::string(body);
}

std::string chunked_response(int status, std::string_view body, int pieces) {
  std::string out = "HTTP/1.1 " + std::to_string(status) +
                    " OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
  const std::size_t step = body.size() / static_cast<std::size_t>(pieces) + 1;
  for (std::size_t offset = 0; offset < body.size(); offset += step) {
    const auto piece = body.substr(offset, step);
    char size[32];
    std::snprintf(size, sizeof size, "%zx\r\n", piece.size());
    out += size;
    out += piece;
    out += "\r\n";
  }
  return out + "0\r\n\r\n";
}

namespace {

std::string make_temp_directory() {
  std::string pattern = (std::filesystem::temp_directory_path() / "hermes-fake-engine-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  return pattern;
}

}  // namespace

FakeEngine::FakeEngine(asio::io_context& io, Script script, Transport transport)
    : io_(io), script_(std::move(script)), directory_(make_temp_directory()), acceptor_(io) {
  asio::generic::stream_protocol::endpoint listen_on;
  if (transport == Transport::unix_socket) {
    endpoint_.unix_socket = directory_ + "/engine.sock";
    listen_on = asio::local::stream_protocol::endpoint(endpoint_.unix_socket);
  } else {
    listen_on = asio::ip::tcp::endpoint(asio::ip::address_v4::loopback(), 0);
  }
  acceptor_.open(listen_on.protocol());
  acceptor_.bind(listen_on);
  acceptor_.listen();
  if (transport == Transport::tcp_loopback) {
    const auto bound = acceptor_.local_endpoint();
    const auto* address = reinterpret_cast<const sockaddr_in*>(bound.data());
    endpoint_.tcp_host = "127.0.0.1";
    endpoint_.tcp_port = ntohs(address->sin_port);
  }
  asio::co_spawn(io_, accept_loop(), asio::detached);
}

FakeEngine::~FakeEngine() {
  boost::system::error_code ignored;
  acceptor_.close(ignored);
  std::filesystem::remove_all(directory_, ignored);
}

asio::awaitable<void> FakeEngine::accept_loop() {
  while (acceptor_.is_open()) {
    boost::system::error_code ec;
    GenericSocket socket = co_await acceptor_.async_accept(asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return;
    asio::co_spawn(io_, serve(std::move(socket)), asio::detached);
  }
}

asio::awaitable<void> FakeEngine::serve(GenericSocket socket) {
  boost::system::error_code ec;
  boost::beast::flat_buffer buffer;
  Request request;
  co_await http::async_read(socket, buffer, request, asio::redirect_error(asio::use_awaitable, ec));
  if (ec) co_return;
  requests_.push_back(request);
  const Reply reply = script_(request);
  if (reply.delay.count() > 0) {
    asio::steady_timer timer(socket.get_executor(), reply.delay);
    co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  }
  if (!reply.raw.empty()) {
    co_await asio::async_write(socket, asio::buffer(reply.raw), asio::redirect_error(asio::use_awaitable, ec));
  }
  if (reply.after == Reply::After::close) co_return;
  // echo or hold: read until the client closes or shuts down its side.
  char data[4096];
  for (;;) {
    const std::size_t n = co_await socket.async_read_some(asio::buffer(data),
                                                          asio::redirect_error(asio::use_awaitable, ec));
    if (ec) break;
    if (reply.after == Reply::After::echo) {
      co_await asio::async_write(socket, asio::buffer(data, n), asio::redirect_error(asio::use_awaitable, ec));
      if (ec) break;
    }
  }
  socket.shutdown(GenericSocket::shutdown_send, ec);
}

}  // namespace hermes::sandbox::testing
