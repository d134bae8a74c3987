#pragma once
// One HTTP/1.1 request and its response on a fresh connection to the Docker engine, bounded by
// a deadline: when it passes, the socket is closed and the exchange fails as timed out. Each
// exchange runs on a strand of its own, so its I/O and its deadline never race, whatever
// executor and however many threads the caller uses. No exception leaves these functions.
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/beast/http/verb.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "common/result.hpp"
#include "sandbox/body_stream.hpp"
#include "sandbox/docker_client.hpp"

namespace hermes::sandbox {

namespace http = boost::beast::http;

struct HttpRequest {
  http::verb method = http::verb::get;
  std::string target;        // path and query, already encoded
  std::string body;
  std::string content_type;  // sent with the body when not empty

  std::string describe() const;  // "POST /v1.41/containers/create"
};

struct HttpResponse {
  unsigned status = 0;
  std::string reason;
  std::string body;
};

inline constexpr std::size_t kMaxResponseBody = 16 * 1024 * 1024;

struct ExchangeLimits {
  std::chrono::milliseconds timeout{30000};
  // The deadline covers connecting and sending; when set, waiting for and reading the answer is
  // not bounded (container wait blocks until the container stops).
  bool unbounded_response = false;
  std::size_t max_body = kMaxResponseBody;
};

// Sends `request` with "Connection: close" and reads the whole response (chunked or not). Any
// status comes back as a response; Errors are for transport failures, timeouts and oversize.
asio::awaitable<Result<HttpResponse>> http_exchange(asio::any_io_executor executor,
                                                    const DockerEndpoint& endpoint,
                                                    HttpRequest request, ExchangeLimits limits);

struct UpgradeOutcome {
  HttpResponse response;                   // body is read only when the engine refused
  std::unique_ptr<HijackedStream> stream;  // set on 101, or on a 2xx raw stream
};

// Sends `request` with "Connection: Upgrade" / "Upgrade: tcp". On 101 (or a 2xx the engine
// answers with the raw stream right behind the headers) the connection becomes the returned
// stream, with no deadline any more; otherwise the response body is read for the error.
asio::awaitable<Result<UpgradeOutcome>> http_upgrade(asio::any_io_executor executor,
                                                     const DockerEndpoint& endpoint,
                                                     HttpRequest request, ExchangeLimits limits);

// Receives a streamed response body piece by piece; an Error stops the download.
using BodySink = std::function<Result<void>(std::string_view piece)>;

// Sends `request` and hands a 2xx response's body to `sink` as it arrives, never holding more
// than one buffer of it; `limits.timeout` bounds the whole download. Returns the body's size.
// Any other status is an Error carrying Docker's message.
asio::awaitable<Result<std::uint64_t>> http_download(asio::any_io_executor executor,
                                                     const DockerEndpoint& endpoint,
                                                     HttpRequest request, ExchangeLimits limits,
                                                     BodySink sink);

// Supplies a request body piece by piece; an empty piece means the body is complete. A piece
// stays valid until the next call.
using BodySource = std::function<Result<std::string_view>()>;

// Sends `request` (its `body` is ignored) with a Content-Length of `body_size`, the body taken
// from `source` as it is sent, so a large upload (an image import) never sits in memory; then
// reads the response as http_exchange does. `limits.timeout` bounds the whole exchange. A source
// that gives more or fewer bytes than announced fails the exchange.
asio::awaitable<Result<HttpResponse>> http_upload(asio::any_io_executor executor, const DockerEndpoint& endpoint,
                                                  HttpRequest request, std::uint64_t body_size,
                                                  BodySource source, ExchangeLimits limits);

struct BodyStreamOutcome {
  HttpResponse response;               // status and reason; the body (Docker's message) when refused
  std::unique_ptr<BodyStream> stream;  // set on 2xx
};

// Sends `request` and reads the response headers under the deadline; on 2xx the connection is
// returned as the response's decoded body, read for as long as the engine keeps it open.
asio::awaitable<Result<BodyStreamOutcome>> http_open_body_stream(asio::any_io_executor executor,
                                                                 const DockerEndpoint& endpoint,
                                                                 HttpRequest request, ExchangeLimits limits);

}  // namespace hermes::sandbox
