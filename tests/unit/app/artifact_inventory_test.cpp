#include "app/artifact_inventory.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "unit/record/test_files.hpp"

namespace hermes::app {
namespace {

namespace fs = std::filesystem;

const std::string kHashA(64, 'a');
const std::string kHashB = std::string(63, 'b') + "0";

void write(const fs::path& path, std::size_t bytes, std::chrono::seconds age) {
  std::ofstream(path) << std::string(bytes, 'x');
  fs::last_write_time(path, fs::file_time_type::clock::now() - age);
}

TEST(ArtifactInventory, OneUnitPerStoredFileOnlyHashNamedRegularFiles) {
  testing::TempDir dir;
  const fs::path root = dir.path();
  write(root / kHashA, 100, std::chrono::seconds(7200));
  write(root / kHashB, 5, std::chrono::seconds(10));
  write(root / ".partial-abc123", 50, std::chrono::seconds(10));
  write(root / "notes.txt", 50, std::chrono::seconds(10));
  fs::create_symlink(root / kHashA, root / (std::string(64, 'c')));
  fs::create_directory(root / std::string(64, 'd'));
  auto units = scan_artifacts(root.string());
  ASSERT_TRUE(units) << units.error().message;
  ASSERT_EQ(units->size(), 2u);
  std::uint64_t bytes = 0;
  for (const auto& unit : *units) {
    EXPECT_EQ(unit.kind, kArtifactUnit);
    EXPECT_EQ(unit.session, "");
    ASSERT_EQ(unit.paths.size(), 1u);
    bytes += unit.bytes;
  }
  EXPECT_EQ(bytes, 105u);
}

TEST(ArtifactInventory, MissingStoreIsEmpty) {
  testing::TempDir dir;
  auto units = scan_artifacts(dir.file("absent"));
  ASSERT_TRUE(units);
  EXPECT_TRUE(units->empty());
}

TEST(ArtifactInventory, OldArtifactsGoBeforeNewerRecordings) {
  const auto now = Clock::now();
  std::vector<StoredUnit> units{
      {"recording", "0123456789ab", {"/r/0123456789ab.cast"}, 100, now - std::chrono::hours(1)},
      {kArtifactUnit, "", {"/a/" + kHashA}, 100, now - std::chrono::hours(5)},
      {kArtifactUnit, "", {"/a/" + kHashB}, 100, now - std::chrono::minutes(1)},
  };
  const auto removals = select_data_removals(units, 200, [](const std::string&) { return false; });
  ASSERT_EQ(removals.size(), 1u);
  EXPECT_EQ(removals[0].paths.front(), "/a/" + kHashA);
}

}  // namespace
}  // namespace hermes::app
