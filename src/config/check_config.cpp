#include "config/check_config.hpp"

#include <filesystem>
#include <system_error>

#include "config/config_loader.hpp"

namespace hermes::config {
namespace {

// IPv6 literals need brackets before ":port".
std::string listen_address(const ServerConfig& server) {
  const bool ipv6 = server.host.find(':') != std::string::npos;
  return (ipv6 ? "[" + server.host + "]" : server.host) + ":" + std::to_string(server.port);
}

// Relative paths resolve against the current directory; show where that is right now.
std::string describe_path(const std::string& path) {
  const std::filesystem::path p(path);
  if (p.is_absolute()) return path;
  std::error_code ec;
  const auto absolute = std::filesystem::absolute(p, ec);
  if (ec) return path;
  return path + " (here: " + absolute.lexically_normal().string() + ")";
}

void print_summary(const std::string& path, const Config& c, std::ostream& out) {
  const auto& auth = c.authentication;
  out << path << ": configuration is valid\n"
      << "  listen:       " << listen_address(c.server) << " (" << c.server.version_string << ")\n"
      << "  host key:     " << describe_path(c.server.host_key_path) << "\n"
      << "  image:        " << c.container_pool.image << "\n"
      << "  pool size:    " << c.container_pool.size << " ready containers, network "
      << c.container_pool.security.network_mode << "\n"
      << "  credentials:  " << auth.static_credentials.size() << " static";
  if (auth.accept_all_after_failures > 0) {
    out << ", any password accepted after " << auth.accept_all_after_failures << " failures";
  }
  out << "\n"
      << "  recordings:   "
      << (c.recording.enabled ? describe_path(c.recording.output_dir) : "disabled") << "\n"
      << "  logs:         " << c.logging.format << ", level " << c.logging.level << ", in "
      << describe_path(c.logging.output_dir) << "\n"
      << "  docker:       " << c.docker.base_url.value_or("unix://" + c.docker.socket_path) << "\n";
}

}  // namespace

int run_check_config(const std::string& path, std::ostream& out, std::ostream& err) {
  const ConfigReport report = inspect_config_file(path);
  for (const std::string& warning : report.warnings) err << "warning: " << warning << "\n";
  for (const std::string& error : report.errors) err << "error: " << error << "\n";
  if (!report.ok()) {
    err << path << ": configuration is invalid (" << report.errors.size() << " error"
        << (report.errors.size() == 1 ? "" : "s") << ")\n";
    return 1;
  }
  print_summary(path, report.config, out);
  return 0;
}

}  // namespace hermes::config
