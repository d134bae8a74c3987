#include "app/cli.hpp"

#include <CLI/CLI.hpp>
#include <iostream>
#include <optional>

#include "app/serve.hpp"
#include "config/check_config.hpp"
#include "config/config_loader.hpp"
#include "sandbox/image_builder.hpp"

namespace hermes::app {

namespace {

int image_build(const std::string& profile, const std::string& tag, const std::string& config_path) {
  std::string socket_path = "/var/run/docker.sock";
  std::optional<std::string> base_url;
  if (!config_path.empty()) {
    auto loaded = config::load_config_file(config_path);
    if (!loaded) {
      std::cerr << "hermes: invalid configuration " << config_path << ":\n" << loaded.error().message << "\n";
      return 2;
    }
    socket_path = loaded->config.docker.socket_path;
    base_url = loaded->config.docker.base_url;
  }
  return sandbox::run_image_build(profile, tag, socket_path, base_url, std::cout);
}

}  // namespace

int run_cli(int argc, char** argv) {
  CLI::App app{"Hermes: an SSH honeypot that gives every attacker a real, disposable, locked-down "
               "Linux container and records everything they do."};
  app.require_subcommand(1);

  std::string serve_config = "config/hermes.yaml";
  auto* serve = app.add_subcommand("serve", "Run the honeypot until SIGTERM or SIGINT");
  serve->add_option("-c,--config", serve_config, "Configuration file (YAML)")->capture_default_str();

  std::string check_path;
  auto* check = app.add_subcommand("check-config", "Validate a configuration file and summarise it");
  check->add_option("file", check_path, "Configuration file (YAML)")->required();

  auto* image = app.add_subcommand("image", "Manage target images");
  image->require_subcommand(1);
  std::string profile = "minimal";
  std::string image_config;
  auto* build = image->add_subcommand("build", "Build a target image offline (no registry needed)");
  build->add_option("-p,--profile", profile, "Image profile (minimal, debian)")->capture_default_str();
  build->add_option("-c,--config", image_config, "Take the Docker endpoint from this configuration");
  std::string tag = "latest";
  build->add_option("-t,--tag", tag, "Tag of the image (hermes-target-<profile>:<tag>)")
      ->capture_default_str()
      ->check([](const std::string& text) {
        // Docker's tag grammar: [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}
        const bool valid = !text.empty() && text.size() <= 128 && text.front() != '.' &&
                           text.front() != '-' &&
                           text.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                                  "0123456789_.-") == std::string::npos;
        return valid ? std::string() : "a Docker tag: letters, digits, '_', '.', '-' (at most 128)";
      });

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  if (*serve) return run_serve(serve_config);
  if (*check) return config::run_check_config(check_path, std::cout, std::cerr);
  if (*build) return image_build(profile, tag, image_config);
  return 2;
}

}  // namespace hermes::app
