#include "config/config_loader.hpp"

#include <exception>

#include "config/config_schema.hpp"
#include "config/diagnostics.hpp"
#include "config/host_name.hpp"
#include "config/scalar_parsing.hpp"
#include "config/text_file.hpp"
#include "config/yaml_document.hpp"
#include "config/yaml_reader.hpp"

namespace hermes::config {
namespace {

ConfigReport finish(Diagnostics& diagnostics, Config config) {
  return ConfigReport{std::move(config), diagnostics.warnings(), diagnostics.errors()};
}

std::string join_lines(const std::vector<std::string>& lines) {
  std::string joined;
  for (const std::string& line : lines) {
    if (!joined.empty()) joined += '\n';
    joined += line;
  }
  return joined;
}

hermes::Result<LoadResult> to_result(ConfigReport report) {
  if (!report.ok()) return hermes::fail(join_lines(report.errors));
  return LoadResult{std::move(report.config), std::move(report.warnings)};
}

}  // namespace

ConfigReport inspect_config_string(const std::string& yaml_text, const std::string& source_name) {
  Diagnostics diagnostics(source_name);
  Config config;
  if (yaml_text.size() > kMaxConfigBytes) {
    diagnostics.error_at_source("larger than " + std::to_string(kMaxConfigBytes) +
                                " bytes; a configuration is never that big");
    return finish(diagnostics, std::move(config));
  }
  if (const auto root = parse_single_document(yaml_text, diagnostics)) {
    // The walk only reads nodes that exist and checks their type first; the guard is for
    // yaml-cpp surprises, which must become an error rather than leave the loader.
    try {
      YamlReader reader(diagnostics);
      read_config(reader, *root, config);
    } catch (const std::exception& e) {
      diagnostics.error_at_source("cannot read the YAML: " + escape_for_message(e.what()));
    }
  }
  if (config.server.sensor_name.empty()) config.server.sensor_name = machine_host_name();
  return finish(diagnostics, std::move(config));
}

ConfigReport inspect_config_file(const std::string& path) {
  auto text = read_text_file(path, kMaxConfigBytes);
  if (!text) {
    Diagnostics diagnostics("");  // the message already names the path
    diagnostics.error_at_source(text.error().message);
    return finish(diagnostics, Config{});
  }
  return inspect_config_string(*text, path);
}

hermes::Result<LoadResult> load_config_file(const std::string& path) {
  return to_result(inspect_config_file(path));
}

hermes::Result<LoadResult> load_config_string(const std::string& yaml_text,
                                              const std::string& source_name) {
  return to_result(inspect_config_string(yaml_text, source_name));
}

}  // namespace hermes::config
