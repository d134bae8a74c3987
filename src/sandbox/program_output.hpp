#pragma once
// Runs a local program (no shell involved) and collects what it prints, for build-time steps
// such as asking busybox for its applet list. Blocking: not for the serving path.
#include <cstddef>
#include <string>
#include <vector>

#include "common/result.hpp"

namespace hermes::sandbox {

// argv[0] is the program's path. Fails when it cannot start, exits non-zero, is killed, or
// prints more than max_bytes on stdout. Its stderr is discarded.
Result<std::string> program_output(const std::vector<std::string>& argv, std::size_t max_bytes);

}  // namespace hermes::sandbox
