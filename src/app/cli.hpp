#pragma once

namespace hermes::app {

// `hermes serve|check-config|image build ...`; returns the process exit code.
int run_cli(int argc, char** argv);

}  // namespace hermes::app
