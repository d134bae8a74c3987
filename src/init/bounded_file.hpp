#pragma once
// Reading files inside the container, whose content (and type: symlink, FIFO, device) an attacker
// may have chosen in an earlier session of a kept container: never follow a final symlink, never
// block on a FIFO, never read past a cap.
#include <cstddef>
#include <optional>
#include <string>

#include "common/unique_fd.hpp"

namespace hermes::init {

// A regular file's content, or nullopt (missing, not a regular file, a symlink, over max_bytes).
std::optional<std::string> read_bounded(const std::string& path, std::size_t max_bytes);

}  // namespace hermes::init
