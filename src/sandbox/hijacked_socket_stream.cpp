#include "sandbox/hijacked_socket_stream.hpp"
#include "sandbox/no_throw.hpp"

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

namespace hermes::sandbox {
namespace {

// Shared with every operation in flight, so the stream object may be destroyed (which closes
// the socket) while a read is still pending: that read then ends with an error, not a crash.
struct StreamState {
  StreamState(EngineSocket s, std::string early) : socket(std::move(s)), pending(std::move(early)) {}
  EngineSocket socket;
  std::string pending;       // early bytes not yet handed out
  std::size_t pending_offset = 0;
  bool closed = false;
  // Asio 1.81's epoll reactor does not retry a read after one that came back short, so a
  // second read after end of stream would wait forever for an edge that never comes.
  bool at_end = false;
};

asio::awaitable<Result<std::string>> read_on_strand(std::shared_ptr<StreamState> state,
                                                    std::size_t max) {
  if (state->closed) co_return fail("hijacked Docker stream is closed");
  if (state->pending_offset < state->pending.size()) {
    const std::size_t take = std::min(max, state->pending.size() - state->pending_offset);
    std::string out = state->pending.substr(state->pending_offset, take);
    state->pending_offset += take;
    if (state->pending_offset == state->pending.size()) {
      state->pending.clear();
      state->pending_offset = 0;
    }
    co_return out;
  }
  if (state->at_end) co_return std::string();
  std::string buffer(max, '\0');
  boost::system::error_code ec;
  const std::size_t n = co_await state->socket.async_read_some(
      asio::buffer(buffer), asio::redirect_error(asio::use_awaitable, ec));
  if (ec == asio::error::eof) {
    state->at_end = true;
    co_return std::string();
  }
  if (ec) {
    if (state->closed) co_return fail("hijacked Docker stream is closed");
    co_return fail("reading the hijacked Docker stream failed: " + ec.message(), ec.value());
  }
  buffer.resize(n);
  co_return buffer;
}

asio::awaitable<Result<void>> write_on_strand(std::shared_ptr<StreamState> state,
                                              std::string bytes) {
  if (state->closed) co_return fail("hijacked Docker stream is closed");
  boost::system::error_code ec;
  co_await asio::async_write(state->socket, asio::buffer(bytes),
                             asio::redirect_error(asio::use_awaitable, ec));
  if (ec) {
    if (state->closed) co_return fail("hijacked Docker stream is closed");
    co_return fail("writing the hijacked Docker stream failed: " + ec.message(), ec.value());
  }
  co_return Result<void>{};
}

class SocketHijackedStream final : public HijackedStream {
 public:
  SocketHijackedStream(EngineSocket socket, std::string early_bytes)
      : state_(std::make_shared<StreamState>(std::move(socket), std::move(early_bytes))) {}

  ~SocketHijackedStream() override { close(); }

  asio::awaitable<Result<std::string>> read_some(std::size_t max) override {
    if (max == 0) co_return fail("hijacked Docker stream: read_some needs max > 0");
    max = std::min(max, kMaxHijackedRead);
    // The operation runs on the socket's strand; the caller resumes on its own executor.
    co_return co_await asio::co_spawn(state_->socket.get_executor(),
                                      no_throw(read_on_strand(state_, max), "hijacked Docker stream"), asio::use_awaitable);
  }

  asio::awaitable<Result<void>> write_all(std::string bytes) override {
    co_return co_await asio::co_spawn(state_->socket.get_executor(),
                                      no_throw(write_on_strand(state_, std::move(bytes)), "hijacked Docker stream"),
                                      asio::use_awaitable);
  }

  void shutdown_write() override {
    asio::post(state_->socket.get_executor(), [state = state_] {
      boost::system::error_code ignored;
      state->socket.shutdown(EngineSocket::shutdown_send, ignored);
    });
  }

  void close() override {
    asio::post(state_->socket.get_executor(), [state = state_] {
      if (state->closed) return;
      state->closed = true;
      boost::system::error_code ignored;
      state->socket.cancel(ignored);
      state->socket.close(ignored);
    });
  }

 private:
  std::shared_ptr<StreamState> state_;
};

}  // namespace

std::unique_ptr<HijackedStream> make_hijacked_stream(EngineSocket socket, std::string early_bytes) {
  return std::make_unique<SocketHijackedStream>(std::move(socket), std::move(early_bytes));
}

}  // namespace hermes::sandbox
