#include "ssh/drain_close.hpp"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <boost/asio/io_context.hpp>
#include <cerrno>
#include <csignal>
#include <string>

namespace hermes::ssh {
namespace {

using namespace std::chrono_literals;

struct SocketPair {
  UniqueFd ours, peer;
  SocketPair() {
    int fds[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, fds) == 0) {
      ours.reset(fds[0]);
      peer.reset(fds[1]);
    }
  }
};

// What the peer reads now: -1 with errno EAGAIN when nothing is there yet, 0 at EOF.
ssize_t peer_read(const SocketPair& pair) {
  std::array<char, 64> buffer{};
  return ::recv(pair.peer.get(), buffer.data(), buffer.size(), 0);
}

bool peer_write(const SocketPair& pair, std::size_t bytes) {
  const std::string data(bytes, 'x');
  return ::send(pair.peer.get(), data.data(), data.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(bytes);
}

TEST(DrainClose, ThePeerSeesEndOfStreamWhileItsInputIsStillReadAndDropped) {
  boost::asio::io_context io;
  SocketPair pair;
  ASSERT_TRUE(pair.ours && pair.peer);
  drain_then_close(io.get_executor(), std::move(pair.ours), Admission::Ticket(), DrainLimits{5s, 1 << 20});
  EXPECT_EQ(peer_read(pair), 0);  // our FIN, at once
  ASSERT_TRUE(peer_write(pair, 1000));
  io.poll();
  ASSERT_TRUE(peer_write(pair, 1000));  // still open: the input is read, not refused
  pair.peer.reset();                     // the peer closes: the drain ends
  const auto started = std::chrono::steady_clock::now();
  io.run();
  EXPECT_LT(std::chrono::steady_clock::now() - started, 4s);  // not by its deadline
}

TEST(DrainClose, StopsAfterTheByteLimit) {
  boost::asio::io_context io;
  SocketPair pair;
  ASSERT_TRUE(pair.ours && pair.peer);
  drain_then_close(io.get_executor(), std::move(pair.ours), Admission::Ticket(), DrainLimits{5s, 4096});
  ASSERT_TRUE(peer_write(pair, 8192));
  io.run();  // returns once the drain has closed the socket
  EXPECT_FALSE(peer_write(pair, 10));
  EXPECT_EQ(errno, EPIPE);
}

TEST(DrainClose, StopsAtItsDeadlineWhenThePeerNeitherSendsNorCloses) {
  boost::asio::io_context io;
  SocketPair pair;
  ASSERT_TRUE(pair.ours && pair.peer);
  drain_then_close(io.get_executor(), std::move(pair.ours), Admission::Ticket(), DrainLimits{50ms, 4096});
  io.run();
  EXPECT_FALSE(peer_write(pair, 10));
  EXPECT_EQ(errno, EPIPE);
}

}  // namespace
}  // namespace hermes::ssh
