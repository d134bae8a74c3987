// Byte streams recorded from real OpenSSH clients typing at Hermes (the .cast input events of
// tests/integration/test_command_lines.py, HERMES_WRITE_TYPING_FIXTURES=1) and the lines the
// real shell ran for them: fixtures/<name>.bin and fixtures/<name>.lines (a JSON array).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "session/line_editor.hpp"

namespace hermes::session {
namespace {

namespace fs = std::filesystem;

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

TEST(LineEditorFixtures, RecordedSessionsGiveTheLinesTheShellRan) {
  const fs::path dir = fs::path(__FILE__).parent_path() / "fixtures";
  std::size_t checked = 0;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() != ".bin") continue;
    auto expected_path = entry.path();
    expected_path.replace_extension(".lines");
    const auto expected = nlohmann::json::parse(slurp(expected_path)).get<std::vector<std::string>>();
    const std::string bytes = slurp(entry.path());
    // Fed as recorded, then one byte at a time: the result must not depend on chunking.
    for (const std::size_t chunk : {bytes.size(), std::size_t{1}}) {
      LineEditor editor;
      std::vector<EditedLine> out;
      for (std::size_t i = 0; i < bytes.size(); i += chunk) editor.feed(std::string_view(bytes).substr(i, chunk), out);
      std::vector<std::string> lines;
      for (const auto& line : out) lines.push_back(line.text);
      EXPECT_EQ(lines, expected) << entry.path();
    }
    ++checked;
  }
  EXPECT_GE(checked, 1u) << "no fixtures in " << dir;
}

}  // namespace
}  // namespace hermes::session
