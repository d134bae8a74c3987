#pragma once
// Helpers shared by the config tests: locating fixtures and reading reports.
#include <gmock/gmock.h>

#include <filesystem>
#include <string>
#include <vector>

#include "config/config_loader.hpp"

namespace hermes::config::test_support {

// Paths relative to this source file, so tests run from any directory.
inline std::filesystem::path source_dir() { return std::filesystem::path(__FILE__).parent_path(); }
inline std::string fixture_path(const std::string& name) {
  return (source_dir() / "fixtures" / name).string();
}
inline std::string repository_file(const std::string& relative) {
  return (source_dir() / "../../.." / relative).lexically_normal().string();
}

inline ConfigReport inspect(const std::string& yaml) {
  return inspect_config_string(yaml, "test.yaml");
}

// All messages of a list as one text, for failure output.
inline std::string joined(const std::vector<std::string>& messages) {
  std::string text;
  for (const auto& m : messages) text += m + "\n";
  return text;
}

}  // namespace hermes::config::test_support
