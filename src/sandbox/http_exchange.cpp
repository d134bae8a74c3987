#include "sandbox/http_exchange.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/write.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <vector>

#include "sandbox/chunked_body_stream.hpp"
#include "sandbox/docker_responses.hpp"
#include "sandbox/hijacked_socket_stream.hpp"
#include "sandbox/no_throw.hpp"

namespace hermes::sandbox {
namespace {

namespace beast = boost::beast;
using tcp = asio::ip::tcp;
using boost::system::error_code;

// Docker's headers are a few hundred bytes; anything near this is not the engine talking.
constexpr std::uint32_t kMaxResponseHeader = 16 * 1024;

// The socket, the resolver and the deadline's verdict. The deadline's handler holds only a
// weak reference, so an exchange that ends first simply lets it find nothing to close.
struct Connection {
  explicit Connection(const asio::any_io_executor& strand)
      : socket(strand), resolver(strand), deadline(strand) {}
  EngineSocket socket;
  tcp::resolver resolver;
  asio::steady_timer deadline;
  bool timed_out = false;
};

void arm_deadline(const std::shared_ptr<Connection>& connection, std::chrono::milliseconds timeout) {
  connection->deadline.expires_after(timeout);
  connection->deadline.async_wait([weak = std::weak_ptr<Connection>(connection)](error_code ec) {
    if (ec) return;  // disarmed
    const auto alive = weak.lock();
    if (!alive) return;
    alive->timed_out = true;
    error_code ignored;
    alive->resolver.cancel();
    alive->socket.close(ignored);  // the pending operation ends with operation_aborted
  });
}

std::string milliseconds_text(std::chrono::milliseconds timeout) {
  return std::to_string(timeout.count()) + " ms";
}

Error connect_error(const Connection& connection, error_code ec, const DockerEndpoint& endpoint,
                    const ExchangeLimits& limits) {
  const std::string where = endpoint.describe();
  if (connection.timed_out) {
    return Error{"Docker engine is not answering at " + where + ": connecting took longer than " +
                 milliseconds_text(limits.timeout)};
  }
  if (ec == asio::error::access_denied) {
    return Error{"Docker engine at " + where +
                 " refused access: permission denied (the user running hermes needs access to "
                 "the Docker socket)"};
  }
  return Error{"Docker engine is not answering at " + where + ": " + ec.message()};
}

Error exchange_error(const std::string& what, const Connection& connection, error_code ec,
                     const DockerEndpoint& endpoint, const ExchangeLimits& limits) {
  const std::string where = " (" + endpoint.describe() + ")";
  if (connection.timed_out) {
    return Error{"Docker " + what + " timed out after " + milliseconds_text(limits.timeout) + where};
  }
  if (ec == beast::http::error::body_limit) {
    return Error{"Docker " + what + ": the response body exceeds " +
                 std::to_string(limits.max_body) + " bytes" + where};
  }
  if (ec == beast::http::error::header_limit) {
    return Error{"Docker " + what + ": the response headers exceed " +
                 std::to_string(kMaxResponseHeader) + " bytes" + where};
  }
  return Error{"Docker " + what + " failed: " + ec.message() + where};
}

asio::awaitable<error_code> connect(Connection& connection, const DockerEndpoint& endpoint) {
  error_code ec;
  if (!endpoint.tcp_host) {
    const EngineSocket::endpoint_type target{asio::local::stream_protocol::endpoint(endpoint.unix_socket)};
    co_await connection.socket.async_connect(target, asio::redirect_error(asio::use_awaitable, ec));
    co_return ec;
  }
  const auto resolved = co_await connection.resolver.async_resolve(
      *endpoint.tcp_host, std::to_string(endpoint.tcp_port),
      asio::redirect_error(asio::use_awaitable, ec));
  if (ec) co_return ec;
  std::vector<EngineSocket::endpoint_type> candidates;
  for (const auto& entry : resolved) candidates.emplace_back(entry.endpoint());
  co_await asio::async_connect(connection.socket, candidates,
                               asio::redirect_error(asio::use_awaitable, ec));
  if (!ec) {
    error_code ignored;  // request/response traffic: do not let Nagle delay small writes
    connection.socket.set_option(tcp::no_delay(true), ignored);
  }
  co_return ec;
}

template <class Body>
void set_common_headers(http::request<Body>& out, const HttpRequest& request, bool upgrade) {
  out.set(http::field::host, "docker");  // the engine requires one; any value does
  out.set(http::field::user_agent, "hermes");
  if (upgrade) {
    out.set(http::field::connection, "Upgrade");
    out.set(http::field::upgrade, "tcp");
  } else {
    out.keep_alive(false);  // one connection per request
  }
  if (!request.content_type.empty()) out.set(http::field::content_type, request.content_type);
}

http::request<http::string_body> to_beast_request(HttpRequest request, bool upgrade) {
  http::request<http::string_body> out{request.method, request.target, 11};
  set_common_headers(out, request, upgrade);
  out.body() = std::move(request.body);
  out.prepare_payload();
  return out;
}

void limit_parser(http::response_parser<http::string_body>& parser, const ExchangeLimits& limits) {
  parser.body_limit(limits.max_body);
  parser.header_limit(kMaxResponseHeader);
}

HttpResponse to_response(http::response_parser<http::string_body>& parser) {
  auto& message = parser.get();
  return HttpResponse{message.result_int(), std::string(message.reason()), std::move(message.body())};
}

// Connects and sends; on failure returns the Error to report.
asio::awaitable<std::optional<Error>> connect_and_send(Connection& connection,
                                                       const DockerEndpoint& endpoint,
                                                       http::request<http::string_body>& request,
                                                       const std::string& what,
                                                       const ExchangeLimits& limits) {
  if (const error_code ec = co_await connect(connection, endpoint)) {
    co_return connect_error(connection, ec, endpoint, limits);
  }
  error_code ec;
  co_await http::async_write(connection.socket, request, asio::redirect_error(asio::use_awaitable, ec));
  if (ec) co_return exchange_error(what, connection, ec, endpoint, limits);
  co_return std::nullopt;
}

// Opens a connection under the request's deadline and sends `request` on it.
asio::awaitable<Result<std::shared_ptr<Connection>>> open_and_send(const DockerEndpoint& endpoint,
                                                                  HttpRequest request, bool upgrade,
                                                                  const ExchangeLimits& limits) {
  auto connection = std::make_shared<Connection>(co_await asio::this_coro::executor);
  const std::string what = request.describe();
  auto beast_request = to_beast_request(std::move(request), upgrade);
  arm_deadline(connection, limits.timeout);
  if (auto error = co_await connect_and_send(*connection, endpoint, beast_request, what, limits)) {
    co_return std::unexpected(std::move(*error));
  }
  co_return connection;
}

// Opens a connection, sends `request` and reads the response's status line and headers into
// `parser` (which decides how the body is read afterwards), all under the request's deadline.
template <class Parser>
asio::awaitable<Result<std::shared_ptr<Connection>>> send_and_read_header(
    const DockerEndpoint& endpoint, HttpRequest request, bool upgrade, const ExchangeLimits& limits,
    beast::flat_buffer& buffer, Parser& parser) {
  const std::string what = request.describe();
  auto opened = co_await open_and_send(endpoint, std::move(request), upgrade, limits);
  if (!opened) co_return std::unexpected(std::move(opened.error()));
  std::shared_ptr<Connection> connection = std::move(*opened);
  error_code ec;
  co_await http::async_read_header(connection->socket, buffer, parser,
                                   asio::redirect_error(asio::use_awaitable, ec));
  if (ec) co_return std::unexpected(exchange_error(what, *connection, ec, endpoint, limits));
  co_return connection;
}

// Reads the (rest of the) response into `parser`: the body, bounded by the parser's limits.
asio::awaitable<Result<HttpResponse>> read_response(Connection& connection, beast::flat_buffer& buffer,
                                                    http::response_parser<http::string_body>& parser,
                                                    const std::string& what,
                                                    const DockerEndpoint& endpoint,
                                                    const ExchangeLimits& limits) {
  error_code ec;
  co_await http::async_read(connection.socket, buffer, parser,
                            asio::redirect_error(asio::use_awaitable, ec));
  if (ec) co_return std::unexpected(exchange_error(what, connection, ec, endpoint, limits));
  co_return to_response(parser);
}

asio::awaitable<Result<HttpResponse>> exchange_on_strand(DockerEndpoint endpoint, HttpRequest request,
                                                         ExchangeLimits limits) {
  const std::string what = request.describe();
  auto connection = co_await open_and_send(endpoint, std::move(request), /*upgrade=*/false, limits);
  if (!connection) co_return std::unexpected(std::move(connection.error()));
  if (limits.unbounded_response) (*connection)->deadline.cancel();

  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  limit_parser(parser, limits);
  co_return co_await read_response(**connection, buffer, parser, what, endpoint, limits);
}

bool is_stream_answer(unsigned status) { return status == 101 || (status >= 200 && status < 300); }

asio::awaitable<Result<UpgradeOutcome>> upgrade_on_strand(DockerEndpoint endpoint,
                                                          HttpRequest request, ExchangeLimits limits) {
  const std::string what = request.describe();
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  limit_parser(parser, limits);
  auto opened = co_await send_and_read_header(endpoint, std::move(request), /*upgrade=*/true, limits,
                                              buffer, parser);
  if (!opened) co_return std::unexpected(std::move(opened.error()));
  const std::shared_ptr<Connection> connection = std::move(*opened);

  UpgradeOutcome outcome;
  if (is_stream_answer(parser.get().result_int())) {
    // From here on the connection is a session's stream: no deadline. The parser stopped at the
    // end of the headers, so whatever else the last read brought in is the stream's first bytes.
    connection->deadline.cancel();
    outcome.response = to_response(parser);
    outcome.stream = make_hijacked_stream(std::move(connection->socket),
                                          beast::buffers_to_string(buffer.data()));
    co_return outcome;
  }
  // Refused: the body carries Docker's message.
  auto refused = co_await read_response(*connection, buffer, parser, what, endpoint, limits);
  if (!refused) co_return std::unexpected(std::move(refused.error()));
  outcome.response = std::move(*refused);
  co_return outcome;
}

asio::awaitable<Result<BodyStreamOutcome>> body_stream_on_strand(DockerEndpoint endpoint, HttpRequest request,
                                                                 ExchangeLimits limits) {
  const std::string what = request.describe();
  beast::flat_buffer buffer;
  auto parser = std::make_unique<StreamedResponseParser>();
  parser->header_limit(kMaxResponseHeader);
  auto opened = co_await send_and_read_header(endpoint, std::move(request), /*upgrade=*/false, limits,
                                              buffer, *parser);
  if (!opened) co_return std::unexpected(std::move(opened.error()));
  const std::shared_ptr<Connection> connection = std::move(*opened);

  BodyStreamOutcome outcome;
  const auto& header = parser->get();
  outcome.response = HttpResponse{header.result_int(), std::string(header.reason()), std::string()};
  if (outcome.response.status < 200 || outcome.response.status >= 300) {
    // Refused: the body carries Docker's message. The header moves to a parser that keeps a body.
    http::response_parser<http::string_body> refusal(std::move(*parser));
    limit_parser(refusal, limits);
    auto refused = co_await read_response(*connection, buffer, refusal, what, endpoint, limits);
    if (!refused) co_return std::unexpected(std::move(refused.error()));
    outcome.response = std::move(*refused);
    co_return outcome;
  }
  // Headers in: from here on the stream lives as long as the engine keeps it open.
  connection->deadline.cancel();
  outcome.stream = make_chunked_body_stream(std::move(connection->socket), std::move(buffer), std::move(parser));
  co_return outcome;
}

// A download hands the body on in pieces of this size; an engine's refusal is kept up to the
// second size for its message.
constexpr std::size_t kDownloadPiece = 64 * 1024;
constexpr std::size_t kMaxRefusalBody = 64 * 1024;

asio::awaitable<Result<std::uint64_t>> download_on_strand(DockerEndpoint endpoint, HttpRequest request,
                                                          ExchangeLimits limits, BodySink sink) {
  const std::string what = request.describe();
  beast::flat_buffer buffer;
  http::response_parser<http::buffer_body> parser;
  parser.body_limit(boost::none);  // the sink decides how much is too much
  parser.header_limit(kMaxResponseHeader);
  auto opened = co_await send_and_read_header(endpoint, std::move(request), /*upgrade=*/false, limits,
                                              buffer, parser);
  if (!opened) co_return std::unexpected(std::move(opened.error()));
  const std::shared_ptr<Connection> connection = std::move(*opened);
  const unsigned status = parser.get().result_int();
  const bool accepted = status >= 200 && status < 300;

  std::vector<char> piece(kDownloadPiece);
  std::string refusal;
  error_code ec;
  std::uint64_t total = 0;
  while (!parser.is_done()) {
    parser.get().body().data = piece.data();
    parser.get().body().size = piece.size();
    co_await http::async_read(connection->socket, buffer, parser,
                              asio::redirect_error(asio::use_awaitable, ec));
    if (ec == http::error::need_buffer) ec = {};  // the piece is full: hand it on
    if (ec) co_return std::unexpected(exchange_error(what, *connection, ec, endpoint, limits));
    const std::size_t got = piece.size() - parser.get().body().size;
    if (!accepted) {
      refusal.append(piece.data(), std::min(got, kMaxRefusalBody - refusal.size()));
      if (refusal.size() >= kMaxRefusalBody) break;
      continue;
    }
    total += got;
    if (got == 0) continue;
    if (auto taken = sink(std::string_view(piece.data(), got)); !taken) {
      co_return std::unexpected(std::move(taken.error()));
    }
  }
  if (!accepted) {
    co_return std::unexpected(http_status_error(what, status, parser.get().reason(), refusal));
  }
  co_return total;
}

asio::awaitable<Result<HttpResponse>> upload_on_strand(DockerEndpoint endpoint, HttpRequest request,
                                                       std::uint64_t body_size, BodySource source,
                                                       ExchangeLimits limits) {
  const std::string what = request.describe();
  auto connection = std::make_shared<Connection>(co_await asio::this_coro::executor);
  arm_deadline(connection, limits.timeout);
  if (const error_code ec = co_await connect(*connection, endpoint)) {
    co_return std::unexpected(connect_error(*connection, ec, endpoint, limits));
  }
  http::request<http::empty_body> head{request.method, request.target, 11};
  set_common_headers(head, request, /*upgrade=*/false);
  head.content_length(body_size);
  http::request_serializer<http::empty_body> serializer{head};
  error_code ec;
  co_await http::async_write_header(connection->socket, serializer, asio::redirect_error(asio::use_awaitable, ec));
  if (ec) co_return std::unexpected(exchange_error(what, *connection, ec, endpoint, limits));
  std::uint64_t sent = 0;
  for (;;) {
    auto piece = source();
    if (!piece) co_return std::unexpected(std::move(piece.error()));
    if (piece->empty()) break;
    if (piece->size() > body_size - sent) co_return fail("Docker " + what + ": the body is larger than announced");
    co_await asio::async_write(connection->socket, asio::buffer(piece->data(), piece->size()),
                               asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return std::unexpected(exchange_error(what, *connection, ec, endpoint, limits));
    sent += piece->size();
  }
  if (sent != body_size) co_return fail("Docker " + what + ": the body is shorter than announced");
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  limit_parser(parser, limits);
  co_return co_await read_response(*connection, buffer, parser, what, endpoint, limits);
}

// Every exchange runs on a strand of its own (its socket, timer and parser are touched by
// nothing else), and no exception escapes it.
template <class T>
asio::awaitable<Result<T>> on_own_strand(asio::any_io_executor executor, asio::awaitable<Result<T>> work,
                                         std::string_view what) {
  co_return co_await asio::co_spawn(asio::make_strand(executor), no_throw(std::move(work), what),
                                    asio::use_awaitable);
}

}  // namespace

std::string HttpRequest::describe() const {
  // Only the path: query values may be long (filters) or carry names chosen by a session.
  const auto query = target.find('?');
  return std::string(http::to_string(method)) + " " + target.substr(0, query);
}

asio::awaitable<Result<HttpResponse>> http_exchange(asio::any_io_executor executor,
                                                    const DockerEndpoint& endpoint,
                                                    HttpRequest request, ExchangeLimits limits) {
  return on_own_strand(executor, exchange_on_strand(endpoint, std::move(request), limits), "Docker request");
}

asio::awaitable<Result<UpgradeOutcome>> http_upgrade(asio::any_io_executor executor,
                                                     const DockerEndpoint& endpoint,
                                                     HttpRequest request, ExchangeLimits limits) {
  return on_own_strand(executor, upgrade_on_strand(endpoint, std::move(request), limits),
                       "Docker upgrade request");
}

asio::awaitable<Result<BodyStreamOutcome>> http_open_body_stream(asio::any_io_executor executor,
                                                                 const DockerEndpoint& endpoint,
                                                                 HttpRequest request, ExchangeLimits limits) {
  return on_own_strand(executor, body_stream_on_strand(endpoint, std::move(request), limits),
                       "Docker event stream request");
}

asio::awaitable<Result<HttpResponse>> http_upload(asio::any_io_executor executor, const DockerEndpoint& endpoint,
                                                  HttpRequest request, std::uint64_t body_size,
                                                  BodySource source, ExchangeLimits limits) {
  return on_own_strand(executor,
                       upload_on_strand(endpoint, std::move(request), body_size, std::move(source), limits),
                       "Docker upload");
}

asio::awaitable<Result<std::uint64_t>> http_download(asio::any_io_executor executor,
                                                     const DockerEndpoint& endpoint,
                                                     HttpRequest request, ExchangeLimits limits,
                                                     BodySink sink) {
  return on_own_strand(executor, download_on_strand(endpoint, std::move(request), limits, std::move(sink)),
                       "Docker download");
}

}  // namespace hermes::sandbox
