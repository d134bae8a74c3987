#include "sandbox/chunked_body_stream.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/http/read.hpp>
#include <functional>

#include "sandbox/no_throw.hpp"

namespace hermes::sandbox {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
using boost::system::error_code;

using ChunkCallback = std::function<std::size_t(std::uint64_t, std::string_view, error_code&)>;

// Shared with the operation in flight, so the stream may be destroyed while a read is pending.
struct StreamState {
  StreamState(EngineSocket s, beast::flat_buffer b, std::unique_ptr<StreamedResponseParser> p)
      : socket(std::move(s)), buffer(std::move(b)), parser(std::move(p)) {
    // The parser only keeps a reference to the callback: it lives here, beside the parser.
    on_chunk = [this](std::uint64_t, std::string_view body, error_code&) {
      decoded.append(body);
      return body.size();
    };
    parser->on_chunk_body(on_chunk);
  }
  EngineSocket socket;
  beast::flat_buffer buffer;
  std::unique_ptr<StreamedResponseParser> parser;
  ChunkCallback on_chunk;
  std::string decoded;  // chunk bytes parsed but not handed out yet
  bool closed = false;
  // Asio 1.81's epoll reactor may never complete a read issued after end of stream: once the
  // stream ended (or failed) no further read is started.
  bool at_end = false;
};

asio::awaitable<Result<std::string>> read_on_strand(std::shared_ptr<StreamState> state) {
  if (state->closed) co_return fail("Docker event stream is closed");
  while (state->decoded.empty() && !state->at_end) {
    if (state->parser->is_done()) {
      state->at_end = true;
      break;
    }
    error_code ec;
    co_await http::async_read_some(state->socket, state->buffer, *state->parser,
                                   asio::redirect_error(asio::use_awaitable, ec));
    if (state->closed) co_return fail("Docker event stream is closed");
    if (ec) {
      state->at_end = true;
      if (ec == http::error::end_of_stream || ec == asio::error::eof) break;
      co_return fail("reading the Docker event stream failed: " + ec.message(), ec.value());
    }
  }
  const std::size_t take = std::min(state->decoded.size(), kMaxBodyStreamRead);
  std::string out = state->decoded.substr(0, take);
  state->decoded.erase(0, take);
  co_return out;
}

class ChunkedBodyStream final : public BodyStream {
 public:
  explicit ChunkedBodyStream(std::shared_ptr<StreamState> state) : state_(std::move(state)) {}
  ~ChunkedBodyStream() override { close(); }

  asio::awaitable<Result<std::string>> read_some() override {
    co_return co_await asio::co_spawn(state_->socket.get_executor(),
                                      no_throw(read_on_strand(state_), "Docker event stream"),
                                      asio::use_awaitable);
  }

  void close() override {
    asio::post(state_->socket.get_executor(), [state = state_] {
      if (state->closed) return;
      state->closed = true;
      error_code ignored;
      state->socket.cancel(ignored);
      state->socket.close(ignored);
    });
  }

 private:
  std::shared_ptr<StreamState> state_;
};

}  // namespace

std::unique_ptr<BodyStream> make_chunked_body_stream(EngineSocket socket, beast::flat_buffer buffer,
                                                     std::unique_ptr<StreamedResponseParser> parser) {
  parser->body_limit(boost::none);  // the stream lasts as long as the engine does
  auto state = std::make_shared<StreamState>(std::move(socket), std::move(buffer), std::move(parser));
  return std::make_unique<ChunkedBodyStream>(std::move(state));
}

}  // namespace hermes::sandbox
