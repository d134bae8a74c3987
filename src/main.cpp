#include "app/cli.hpp"

int main(int argc, char** argv) { return hermes::app::run_cli(argc, argv); }
