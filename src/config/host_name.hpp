#pragma once
#include <string>

namespace hermes::config {

// This machine's host name (gethostname), the default sensor name; "hermes" if it has none.
std::string machine_host_name();

}  // namespace hermes::config
