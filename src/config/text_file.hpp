#pragma once
#include <cstddef>
#include <string>

#include "common/result.hpp"

namespace hermes::config {

// The whole content of a regular file of at most `max_bytes`. Refuses directories, devices and
// FIFOs (reading /dev/zero or a pipe would never end) and larger files, with a message naming
// the path and the reason.
hermes::Result<std::string> read_text_file(const std::string& path, std::size_t max_bytes);

}  // namespace hermes::config
