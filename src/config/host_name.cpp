#include "config/host_name.hpp"

#include <unistd.h>

#include <array>
#include <cstring>

namespace hermes::config {

std::string machine_host_name() {
  // POSIX allows truncation without a terminating NUL: reserve one byte and set it ourselves.
  std::array<char, 256> buffer{};
  if (gethostname(buffer.data(), buffer.size() - 1) != 0 || buffer[0] == '\0') return "hermes";
  return std::string(buffer.data(), strnlen(buffer.data(), buffer.size()));
}

}  // namespace hermes::config
