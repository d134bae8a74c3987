// The container TTY as hermes-init drives it, on a real pty (openpty) or a pipe: terminal modes,
// window size, and waiting for the session line among whatever else arrives first.
#include "init/terminal.hpp"

#include "common/unique_fd.hpp"

#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cerrno>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace hermes::init {
namespace {

struct Pty {
  Pty() {
    int master_fd = -1, slave_fd = -1;
    if (openpty(&master_fd, &slave_fd, nullptr, nullptr, nullptr) != 0) return;
    master = std::make_unique<UniqueFd>(master_fd);
    slave = std::make_unique<UniqueFd>(slave_fd);
  }
  bool ok() const { return master && slave; }
  std::unique_ptr<UniqueFd> master, slave;
};

struct Pipe {
  Pipe() {
    int fds[2];
    if (pipe(fds) != 0) return;
    read_end = std::make_unique<UniqueFd>(fds[0]);
    write_end = std::make_unique<UniqueFd>(fds[1]);
  }
  bool ok() const { return read_end && write_end; }
  std::unique_ptr<UniqueFd> read_end, write_end;
};

bool write_all(int fd, const std::string& data) {
  std::size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

// Whatever can be read from fd within timeout_ms (nothing if nothing comes).
std::string read_available(int fd, int timeout_ms) {
  std::string out;
  pollfd p{fd, POLLIN, 0};
  while (poll(&p, 1, timeout_ms) == 1 && (p.revents & POLLIN)) {
    char buffer[4096];
    const ssize_t n = read(fd, buffer, sizeof buffer);
    if (n <= 0) break;
    out.append(buffer, static_cast<std::size_t>(n));
    timeout_ms = 50;  // the rest, if any, is already queued
  }
  return out;
}

SessionStart session_for(const std::string& user) {
  SessionStart start;
  start.user = user;
  start.term = "xterm-256color";
  start.cols = 132;
  start.rows = 43;
  start.client_ip = "198.51.100.7";
  start.client_port = 40000;
  start.server_ip = "10.0.0.2";
  start.server_port = 22;
  start.env = {{"LANG", "C.UTF-8"}};
  return start;
}

// A valid line for `user` of exactly `total` bytes, '\n' included, padded in an env value.
std::string line_of_size(const std::string& user, std::size_t total) {
  SessionStart start = session_for(user);
  start.env = {{"PAD", ""}};
  const std::size_t bare = encode_session_line(start).size();
  start.env[0].second.assign(total - bare, 'x');  // 'x' is sent as is: one byte each
  return encode_session_line(start);
}

// wait_for_session blocks for good if the line it should find never counts as valid: a hung
// test must fail, not stall the suite.
class TerminalTest : public ::testing::Test {
 protected:
  void SetUp() override { alarm(20); }
  void TearDown() override { alarm(0); }
};

TEST_F(TerminalTest, RawModeIsSilentAndUnprocessed) {
  Pty pty;
  ASSERT_TRUE(pty.ok());
  ASSERT_TRUE(enter_raw_mode(pty.slave->get()));
  termios t{};
  ASSERT_EQ(tcgetattr(pty.slave->get(), &t), 0);
  EXPECT_EQ(t.c_lflag & (ECHO | ICANON | ISIG | IEXTEN), 0u);
  EXPECT_EQ(t.c_iflag & (ICRNL | IXON), 0u);
  EXPECT_EQ(t.c_cc[VMIN], 1);
  EXPECT_EQ(t.c_cc[VTIME], 0);
}

TEST_F(TerminalTest, LoginModeLooksLikeAFreshSshdPty) {
  Pty pty;
  ASSERT_TRUE(pty.ok());
  ASSERT_TRUE(enter_raw_mode(pty.slave->get()));
  ASSERT_TRUE(enter_login_mode(pty.slave->get()));
  termios t{};
  ASSERT_EQ(tcgetattr(pty.slave->get(), &t), 0);
  const tcflag_t want_l = ISIG | ICANON | IEXTEN | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE;
  EXPECT_EQ(t.c_lflag & want_l, want_l);
  EXPECT_EQ(t.c_iflag & (ICRNL | IXON | IUTF8), ICRNL | IXON | IUTF8);
  EXPECT_EQ(t.c_oflag & (OPOST | ONLCR), OPOST | ONLCR);
  EXPECT_EQ(t.c_cflag & CSIZE, static_cast<tcflag_t>(CS8));
  EXPECT_EQ(t.c_cc[VINTR], 0x03);
  EXPECT_EQ(t.c_cc[VERASE], 0x7f);
  EXPECT_EQ(t.c_cc[VEOF], 0x04);
  EXPECT_EQ(t.c_cc[VSUSP], 0x1a);
  EXPECT_EQ(cfgetospeed(&t), static_cast<speed_t>(B38400));
}

TEST_F(TerminalTest, LoginModeEchoesAndTranslatesNewlines) {
  Pty pty;
  ASSERT_TRUE(pty.ok());
  ASSERT_TRUE(enter_login_mode(pty.slave->get()));
  ASSERT_TRUE(write_all(pty.master->get(), "hi\r"));
  EXPECT_EQ(read_available(pty.master->get(), 1000), "hi\r\n");  // echo, ICRNL then ONLCR
  EXPECT_EQ(read_available(pty.slave->get(), 1000), "hi\n");
}

TEST_F(TerminalTest, WindowSizeIsSet) {
  Pty pty;
  ASSERT_TRUE(pty.ok());
  ASSERT_TRUE(set_window_size(pty.slave->get(), 132, 43));
  winsize ws{};
  ASSERT_EQ(ioctl(pty.master->get(), TIOCGWINSZ, &ws), 0);
  EXPECT_EQ(ws.ws_col, 132);
  EXPECT_EQ(ws.ws_row, 43);
}

TEST_F(TerminalTest, ModeFunctionsReportFailureOnSomethingThatIsNotATty) {
  Pipe pipe;
  ASSERT_TRUE(pipe.ok());
  EXPECT_FALSE(enter_raw_mode(pipe.read_end->get()));
  EXPECT_FALSE(enter_login_mode(pipe.read_end->get()));
  EXPECT_FALSE(set_window_size(pipe.read_end->get(), 80, 24));
  EXPECT_FALSE(enter_raw_mode(-1));
}

TEST_F(TerminalTest, GarbageBeforeTheLineIsSkippedAndNothingIsEchoed) {
  Pty pty;
  ASSERT_TRUE(pty.ok());
  ASSERT_TRUE(enter_raw_mode(pty.slave->get()));
  const std::string noise =
      "garbage\n"
      "\n"
      "HERMES-SESSION/1 user=root\n"                   // fields missing
      "HERMES-SESSION/2 " + encode_session_line(session_for("v2")).substr(17) +  // wrong magic
      "\x03\x1a\x04\r\n";                              // keys that would signal in cooked mode
  ASSERT_TRUE(write_all(pty.master->get(), noise + encode_session_line(session_for("alice"))));

  const SessionStart start = wait_for_session(pty.slave->get());
  EXPECT_EQ(start.user, "alice");
  EXPECT_EQ(start.term, "xterm-256color");
  EXPECT_EQ(start.cols, 132);
  EXPECT_EQ(start.rows, 43);
  EXPECT_EQ(start.client_ip, "198.51.100.7");
  EXPECT_EQ(start.client_port, 40000);
  EXPECT_EQ(start.env, (std::vector<std::pair<std::string, std::string>>{{"LANG", "C.UTF-8"}}));
  // Raw mode: not a byte of the session line comes back to the attacker's screen.
  EXPECT_EQ(read_available(pty.master->get(), 200), "");
}

TEST_F(TerminalTest, BytesTypedRightAfterTheLineStayQueuedForTheShell) {
  Pty pty;
  ASSERT_TRUE(pty.ok());
  ASSERT_TRUE(enter_raw_mode(pty.slave->get()));
  ASSERT_TRUE(write_all(pty.master->get(), encode_session_line(session_for("bob")) + "uname -a\n"));
  EXPECT_EQ(wait_for_session(pty.slave->get()).user, "bob");
  EXPECT_EQ(read_available(pty.slave->get(), 1000), "uname -a\n");
}

TEST_F(TerminalTest, LineArrivingInPiecesIsAssembled) {
  Pipe pipe;
  ASSERT_TRUE(pipe.ok());
  const std::string line = encode_session_line(session_for("carol"));
  std::thread writer([&] {
    for (char c : line) {
      write_all(pipe.write_end->get(), std::string(1, c));
      if (c == ' ') usleep(1000);
    }
  });
  EXPECT_EQ(wait_for_session(pipe.read_end->get()).user, "carol");
  writer.join();
}

TEST_F(TerminalTest, OversizedLineIsDroppedWholeIncludingAValidLookingTail) {
  // Past the cap the rest of the line must be dropped too, or its tail would be read as a line
  // of its own: here that tail is a complete session line for "mallory".
  Pipe pipe;
  ASSERT_TRUE(pipe.ok());
  std::string first = encode_session_line(session_for("mallory"));
  first.insert(0, std::string(kMaxSessionLine, 'A'));
  const std::string data = first + encode_session_line(session_for("alice"));
  std::thread writer([&] { write_all(pipe.write_end->get(), data); });
  EXPECT_EQ(wait_for_session(pipe.read_end->get()).user, "alice");
  writer.join();
}

TEST_F(TerminalTest, LineOfExactlyTheMaximumSizeIsAccepted) {
  Pipe pipe;
  ASSERT_TRUE(pipe.ok());
  const std::string line = line_of_size("edge", kMaxSessionLine);
  ASSERT_EQ(line.size(), kMaxSessionLine);
  std::thread writer([&] { write_all(pipe.write_end->get(), line); });
  const SessionStart start = wait_for_session(pipe.read_end->get());
  writer.join();
  EXPECT_EQ(start.user, "edge");
  ASSERT_EQ(start.env.size(), 1u);
  EXPECT_EQ(start.env[0].first, "PAD");
}

TEST_F(TerminalTest, LineOneByteOverTheMaximumIsDropped) {
  Pipe pipe;
  ASSERT_TRUE(pipe.ok());
  std::string over = line_of_size("over", kMaxSessionLine);
  over.insert(over.size() - 1, "x");  // one more padding byte before the '\n'
  ASSERT_EQ(over.size(), kMaxSessionLine + 1);
  const std::string data = over + encode_session_line(session_for("next"));
  std::thread writer([&] { write_all(pipe.write_end->get(), data); });
  EXPECT_EQ(wait_for_session(pipe.read_end->get()).user, "next");
  writer.join();
}

}  // namespace
}  // namespace hermes::init
