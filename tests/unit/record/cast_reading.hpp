#pragma once
// Reads back an asciicast file in tests: every line must be JSON and the file must end in '\n'
// (gtest failures otherwise); returns the event lines, header excluded.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "unit/record/test_files.hpp"

namespace hermes::testing {

inline std::vector<nlohmann::json> read_cast_events(const std::string& path) {
  std::vector<nlohmann::json> events;
  const auto lines = read_lines(path);
  EXPECT_FALSE(lines.empty());
  for (std::size_t i = 0; i < lines.size(); ++i) {
    nlohmann::json line = nlohmann::json::parse(lines[i], nullptr, false);
    EXPECT_FALSE(line.is_discarded()) << "line " << i << ": " << lines[i];
    if (i > 0) events.push_back(std::move(line));
  }
  EXPECT_EQ(read_file(path).back(), '\n');
  return events;
}

}  // namespace hermes::testing
