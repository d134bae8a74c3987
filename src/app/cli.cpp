#include "app/cli.hpp"

#include <cstdio>

namespace hermes::app {

int run_cli(int argc, char** argv) {
  std::fprintf(stderr, "hermes: not wired yet\n");
  return 2;
}

}  // namespace hermes::app
