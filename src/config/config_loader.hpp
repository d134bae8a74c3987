#pragma once
// Loading a configuration: YAML text -> typed Config with defaults, every problem reported with
// its dotted key (docs/configuration.md lists keys, defaults and rules).
//   - missing keys keep their defaults; an empty file or "~" gives all defaults;
//   - unknown keys are warnings ("unknown key server.prot (ignored)"), never errors, so a newer
//     or older file still loads;
//   - wrong types or values are errors naming the key, the value and what was expected; all of
//     them are collected, not just the first;
//   - files over kMaxConfigBytes, YAML syntax errors and several documents are errors.
// Relative paths in the file stay relative: they resolve against the process's current directory.
#include <cstddef>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "config/config.hpp"

namespace hermes::config {

inline constexpr std::size_t kMaxConfigBytes = 1024 * 1024;

struct LoadResult {
  Config config;
  std::vector<std::string> warnings;
};

// Everything known about one configuration text, valid or not: what check-config shows.
struct ConfigReport {
  Config config;  // meaningful only when errors is empty
  std::vector<std::string> warnings;
  std::vector<std::string> errors;
  bool ok() const { return errors.empty(); }
};

ConfigReport inspect_config_string(const std::string& yaml_text, const std::string& source_name);
ConfigReport inspect_config_file(const std::string& path);

// The error's message is every error, one per line.
hermes::Result<LoadResult> load_config_file(const std::string& path);
hermes::Result<LoadResult> load_config_string(const std::string& yaml_text,
                                              const std::string& source_name);

}  // namespace hermes::config
