#pragma once
// The typing half of `sessions`: one open shell types a printable character every interval and
// times its echo (write of the character -> the character read back).
#include <cstddef>
#include <libssh/libssh.h>
#include <string>
#include <vector>

#include "stopwatch.hpp"

namespace hermes::loadgen {

struct EchoStats {
  std::vector<double> echoes_ms;
  std::size_t lost = 0;  // echoes not seen within kEchoTimeout
};

inline constexpr std::chrono::seconds kEchoTimeout{5};

// Until `first_key`, reads (and throws away) the banner and prompt still arriving; then types on
// the schedule first_key + k * interval until `end`. Characters in the prompt line are never
// typed, so a redrawn prompt cannot be mistaken for an echo. The line is killed (Ctrl-U) every
// so often so it never wraps.
EchoStats type_and_time_echoes(ssh_channel channel, Clock::time_point first_key, std::chrono::milliseconds interval,
                               Clock::time_point end);

}  // namespace hermes::loadgen
