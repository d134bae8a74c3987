#pragma once
// `hermes check-config PATH`: tells an operator whether a configuration loads, and what it means.
#include <ostream>
#include <string>

namespace hermes::config {

// Writes warnings and errors to `err` ("warning: ...", "error: ..."), and for a valid file a
// short summary to `out` (listen address, image, pool size, credentials, output directories).
// Returns 0 when the file is valid (warnings allowed), 1 when it is not or cannot be read.
int run_check_config(const std::string& path, std::ostream& out, std::ostream& err);

}  // namespace hermes::config
