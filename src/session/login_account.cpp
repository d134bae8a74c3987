#include "session/login_account.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <memory>

#include "common/init_path.hpp"
#include "common/log.hpp"
#include "sandbox/stream_demuxer.hpp"

namespace hermes::session {
namespace {

constexpr std::size_t kMaxReply = 8 * 1024;  // one passwd-sized line is all we expect
constexpr auto kResolveTimeout = std::chrono::seconds(3);

AccountLine root_fallback() { return AccountLine{Account{"root", 0, 0, "/root", "/bin/sh"}, "/root"}; }

}  // namespace

asio::awaitable<AccountLine> LoginAccount::get(sandbox::DockerClient& docker,
                                               std::string container_id, std::string user) {
  while (state_ == State::pending) co_await resolved_signal_.wait();
  if (state_ == State::ready) co_return account_;
  state_ = State::pending;
  std::optional<AccountLine> answer = co_await ask_container(docker, std::move(container_id), std::move(user));
  answered_by_init_ = answer.has_value();
  account_ = answer ? std::move(*answer) : root_fallback();
  state_ = State::ready;
  resolved_signal_.notify();
  co_return account_;
}

asio::awaitable<std::optional<AccountLine>> LoginAccount::ask_container(sandbox::DockerClient& docker,
                                                         std::string container_id,
                                                         std::string user) {
  sandbox::Json cmd = sandbox::Json::array({kInitPath, "--account", user});
  sandbox::Json spec{{"AttachStdin", false}, {"AttachStdout", true}, {"AttachStderr", true},
                     {"Tty", false},         {"User", "0:0"},        {"Cmd", std::move(cmd)}};
  auto exec_id = co_await docker.create_exec(container_id, std::move(spec));
  if (!exec_id) {
    log::warn("session", "account lookup: " + exec_id.error().message);
    co_return std::nullopt;
  }
  auto opened = co_await docker.start_exec(*exec_id, false);
  if (!opened) {
    log::warn("session", "account lookup: " + opened.error().message);
    co_return std::nullopt;
  }
  std::shared_ptr<sandbox::HijackedStream> stream = std::move(*opened);
  // An init without --account waits for a session line forever: closing the stream ends the
  // read below (the stray process stays in the container, harmless and short of a TTY).
  auto timer = std::make_shared<asio::steady_timer>(co_await asio::this_coro::executor, kResolveTimeout);
  timer->async_wait([stream](const boost::system::error_code& ec) {
    if (!ec) stream->close();
  });

  sandbox::StreamDemuxer demuxer;
  std::vector<sandbox::StreamDemuxer::Chunk> chunks;
  std::string reply;
  std::size_t received = 0;
  for (;;) {
    auto bytes = co_await stream->read_some(kMaxReply);
    if (!bytes || bytes->empty()) break;
    received += bytes->size();
    if (received > kMaxReply || !demuxer.feed(*bytes, chunks)) break;
  }
  timer->cancel();
  stream->close();
  for (const auto& chunk : chunks) {
    if (chunk.stream == 1) reply += chunk.data;
  }
  if (auto parsed = parse_account_line(reply)) co_return *parsed;
  log::warn("session", "account lookup in " + container_id + " gave no account; running as root");
  co_return std::nullopt;
}

}  // namespace hermes::session
