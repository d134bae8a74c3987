#include "app/recording_inventory.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "app/active_sessions.hpp"

namespace hermes::app {
namespace {

namespace fs = std::filesystem;

struct RecordingDir : ::testing::Test {
  fs::path dir;
  void SetUp() override {
    char pattern[] = "/tmp/hermes-inventory-XXXXXX";
    ASSERT_NE(::mkdtemp(pattern), nullptr);
    dir = pattern;
  }
  void TearDown() override { fs::remove_all(dir); }

  void write(const std::string& name, std::size_t bytes, std::chrono::seconds age) {
    std::ofstream(dir / name) << std::string(bytes, 'x');
    const auto when = fs::file_time_type::clock::now() - age;
    fs::last_write_time(dir / name, when);
  }
};

TEST_F(RecordingDir, GroupsEachSessionsCastAndSidecar) {
  write("0123456789ab.cast", 100, std::chrono::seconds(3600));
  write("0123456789ab.json", 20, std::chrono::seconds(60));
  write("ba9876543210.cast", 7, std::chrono::seconds(10));
  auto units = scan_recordings(dir.string());
  ASSERT_TRUE(units.has_value()) << units.error().message;
  ASSERT_EQ(units->size(), 2u);
  const auto& first = (*units)[0].session == "0123456789ab" ? (*units)[0] : (*units)[1];
  EXPECT_EQ(first.bytes, 120u);
  EXPECT_EQ(first.paths.size(), 2u);
  EXPECT_EQ(first.kind, "recording");
  // The newest file says when the session last wrote.
  const auto age = Clock::now() - first.last_modified;
  EXPECT_LT(age, std::chrono::seconds(600));
  EXPECT_EQ(total_bytes(*units), 127u);
}

TEST_F(RecordingDir, IgnoresWhatHermesDidNotWrite) {
  write("notes.txt", 50, std::chrono::seconds(1));
  write("0123456789ab.json.tmp", 50, std::chrono::seconds(1));
  write("0123456789AB.cast", 50, std::chrono::seconds(1));
  write("0123456789abc.cast", 50, std::chrono::seconds(1));
  fs::create_directory(dir / "aaaaaaaaaaaa.cast");
  fs::create_symlink("/etc/passwd", dir / "bbbbbbbbbbbb.cast");
  auto units = scan_recordings(dir.string());
  ASSERT_TRUE(units.has_value());
  EXPECT_TRUE(units->empty());
}

TEST_F(RecordingDir, RemovingAUnitUnlinksItsFilesOnly) {
  write("0123456789ab.cast", 10, std::chrono::seconds(1));
  write("0123456789ab.json", 10, std::chrono::seconds(1));
  write("ba9876543210.cast", 10, std::chrono::seconds(1));
  auto units = scan_recordings(dir.string());
  ASSERT_TRUE(units.has_value());
  for (const auto& unit : *units) {
    if (unit.session == "0123456789ab") {
      ASSERT_TRUE(remove_unit_files(unit).has_value());
      EXPECT_TRUE(remove_unit_files(unit).has_value());  // already gone is fine
    }
  }
  EXPECT_FALSE(fs::exists(dir / "0123456789ab.cast"));
  EXPECT_FALSE(fs::exists(dir / "0123456789ab.json"));
  EXPECT_TRUE(fs::exists(dir / "ba9876543210.cast"));
}

TEST_F(RecordingDir, MissingDirectoryIsAnErrorNamingIt) {
  auto units = scan_recordings((dir / "absent").string());
  ASSERT_FALSE(units.has_value());
  EXPECT_NE(units.error().message.find("absent"), std::string::npos);
}

TEST(ActiveSessions, ASessionIsActiveWhileItsObjectLives) {
  ActiveSessions active;
  auto session = std::make_shared<int>(1);
  active.track("0123456789ab", session);
  EXPECT_TRUE(active.is_active("0123456789ab"));
  EXPECT_FALSE(active.is_active("ba9876543210"));
  EXPECT_EQ(active.collect_ended(), 0u);
  session.reset();
  EXPECT_FALSE(active.is_active("0123456789ab"));
  EXPECT_EQ(active.collect_ended(), 1u);
  EXPECT_EQ(active.collect_ended(), 0u);
}

TEST(ActiveSessions, EndsNoticedWhileTrackingAreStillReported) {
  ActiveSessions active;
  auto first = std::make_shared<int>(1);
  active.track("aaaaaaaaaaaa", first);
  first.reset();
  auto second = std::make_shared<int>(2);
  active.track("bbbbbbbbbbbb", second);  // prunes the first
  EXPECT_EQ(active.collect_ended(), 1u);
}

}  // namespace
}  // namespace hermes::app
