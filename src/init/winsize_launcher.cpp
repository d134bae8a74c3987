#include "init/winsize_launcher.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>

#include "init/terminal.hpp"

namespace hermes::init {
namespace {

std::optional<int> parse_side(std::string_view text) {
  // from_chars takes no '+' or spaces; the length bound keeps overflow out of the question.
  if (text.empty() || text.size() > 4 || text.front() == '-') return std::nullopt;
  int value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  if (value < 1 || value > kMaxWinsizeSide) return std::nullopt;
  return value;
}

bool still_unsized(int fd) {
  winsize ws{};
  if (ioctl(fd, TIOCGWINSZ, &ws) != 0) return false;  // not a terminal: nothing to size
  return ws.ws_row == 0 || ws.ws_col == 0;
}

}  // namespace

WinsizeArgs parse_winsize_args(int argc, const char* const* argv) {
  WinsizeArgs out;
  if (argc < 6 || argv[1] != kWinsizeFlag || std::string_view(argv[4]) != "--") return out;
  out.rows = parse_side(argv[2]);
  out.cols = parse_side(argv[3]);
  out.program = 5;
  return out;
}

void run_winsize_launcher(int argc, char** argv) {
  const WinsizeArgs args = parse_winsize_args(argc, argv);
  if (args.program == 0) {
    std::fprintf(stderr, "%s: missing command\n", argc > 0 ? argv[0] : "init");
    std::_Exit(127);
  }
  if (args.rows && args.cols && still_unsized(STDIN_FILENO)) set_window_size(STDIN_FILENO, *args.cols, *args.rows);
  char* const* program_argv = argv + args.program;
  execv(program_argv[0], program_argv);
  const int error = errno;
  std::fprintf(stderr, "%s: %s\n", program_argv[0], std::strerror(error));
  std::_Exit(error == EACCES ? 126 : 127);
}

}  // namespace hermes::init
