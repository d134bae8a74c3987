#include "init/terminal.hpp"

#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <string>

namespace hermes::init {

bool enter_raw_mode(int fd) {
  termios t{};
  if (tcgetattr(fd, &t) != 0) return false;
  cfmakeraw(&t);
  t.c_cc[VMIN] = 1;
  t.c_cc[VTIME] = 0;
  // TCSANOW, not TCSAFLUSH: nothing queued may be thrown away.
  return tcsetattr(fd, TCSANOW, &t) == 0;
}

bool enter_login_mode(int fd) {
  termios t{};
  if (tcgetattr(fd, &t) != 0) return false;
  t.c_iflag = ICRNL | IXON | IUTF8;
  t.c_oflag = OPOST | ONLCR;
  t.c_cflag = CS8 | CREAD;
  t.c_lflag = ISIG | ICANON | IEXTEN | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE;
  for (auto& c : t.c_cc) c = _POSIX_VDISABLE;
  t.c_cc[VINTR] = 0x03;     // ^C
  t.c_cc[VQUIT] = 0x1c;     // ^\ (backslash)
  t.c_cc[VERASE] = 0x7f;    // ^?
  t.c_cc[VKILL] = 0x15;     // ^U
  t.c_cc[VEOF] = 0x04;      // ^D
  t.c_cc[VSTART] = 0x11;    // ^Q
  t.c_cc[VSTOP] = 0x13;     // ^S
  t.c_cc[VSUSP] = 0x1a;     // ^Z
  t.c_cc[VREPRINT] = 0x12;  // ^R
  t.c_cc[VWERASE] = 0x17;   // ^W
  t.c_cc[VLNEXT] = 0x16;    // ^V
  t.c_cc[VDISCARD] = 0x0f;  // ^O
  t.c_cc[VMIN] = 1;
  t.c_cc[VTIME] = 0;
  cfsetispeed(&t, B38400);
  cfsetospeed(&t, B38400);
  return tcsetattr(fd, TCSANOW, &t) == 0;
}

bool set_window_size(int fd, int cols, int rows) {
  winsize ws{};
  ws.ws_col = static_cast<unsigned short>(cols);
  ws.ws_row = static_cast<unsigned short>(rows);
  return ioctl(fd, TIOCSWINSZ, &ws) == 0;
}

SessionStart wait_for_session(int fd) {
  std::string line;
  bool overflowed = false;  // dropping the rest of a line that went over the cap
  for (;;) {
    char c = 0;
    // One byte at a time on purpose: a bigger read could swallow what the attacker types right
    // after the line, and it happens once per container.
    const ssize_t n = read(fd, &c, 1);
    if (n < 0 && errno == EINTR) continue;
    if (n != 1) {
      usleep(200 * 1000);  // EOF/EIO: no attach yet, or it closed; try again later
      continue;
    }
    if (c == '\n') {
      if (!overflowed) {
        if (auto start = decode_session_line(line)) return *start;
      }
      line.clear();
      overflowed = false;
      continue;
    }
    if (overflowed) continue;
    if (line.size() + 1 >= kMaxSessionLine) {  // +1: the '\n' still to come counts too
      overflowed = true;
      line.clear();
      continue;
    }
    line += c;
  }
}

}  // namespace hermes::init
