#pragma once
#include <string>

namespace hermes::app {

// `hermes serve --config FILE`: runs the honeypot until SIGTERM/SIGINT. Returns the exit code.
int run_serve(const std::string& config_path);

}  // namespace hermes::app
