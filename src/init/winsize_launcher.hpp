#pragma once
// `/sbin/init --winsize ROWS COLS -- PROGRAM ARGS...`: gives the terminal on stdin its size, then
// becomes PROGRAM (execv: same argv, same environment, no process left behind).
//
// Why: an exec with a pty on Engine API 1.41 cannot carry a console size (ConsoleSize is 1.42+),
// and the engine's resize only lands after the process has started, so `stty size`, tput, less
// or a bot's size check would see 0 0. Hermes starts pty commands through this launcher instead
// (session/exec_command_line.hpp).
//
// Trust: this runs inside the attacker's own container, as the attacker's own user. If they
// replaced /sbin/init on disk, their replacement runs instead, with nothing more than they
// already have; Hermes relies on nothing the launcher does beyond the terminal size.
#include <optional>
#include <string_view>

namespace hermes::init {

inline constexpr std::string_view kWinsizeFlag = "--winsize";
inline constexpr int kMaxWinsizeSide = 1000;  // Hermes clamps client sizes to this too

struct WinsizeArgs {
  // Rows and columns, each 1..kMaxWinsizeSide; empty when they are malformed.
  std::optional<int> rows;
  std::optional<int> cols;
  // Index in argv of PROGRAM (after "--"); 0 when the arguments have no such shape.
  int program = 0;
};

// Strict: argv[1] == "--winsize", argv[2] and argv[3] plain decimal numbers (no sign, no
// spaces), argv[4] == "--", argv[5] the program.
WinsizeArgs parse_winsize_args(int argc, const char* const* argv);

// Sets the size on fd 0 (only while the terminal is still 0x0: a resize from the engine that
// landed first is newer and stays) and execs the program. Malformed sizes: the program runs
// anyway at the terminal's size, because the command the client sent matters more than its
// terminal size (the pre-launcher behaviour). No program, or an exec that fails: a shell-like
// message on stderr and 127 (126 when the program is not executable), as `sh -c` gives.
[[noreturn]] void run_winsize_launcher(int argc, char** argv);

}  // namespace hermes::init
