#include "init/tmpfs_preserve.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "unit/record/test_files.hpp"

namespace hermes::init {
namespace {

namespace fs = std::filesystem;

std::string read_file(const fs::path& path) { return testing::read_file(path.string()); }

struct Scratch {
  testing::TempDir dir;
  fs::path path = dir.path();
};

TEST(TmpfsPreserve, CopiesRegularFilesUnderTheirPathWithoutFollowingLinks) {
  Scratch s;
  const fs::path tmp = s.path / "tmp", shm = s.path / "dev" / "shm", store = s.path / "store";
  fs::create_directories(tmp / "deep" / "er");
  fs::create_directories(shm);
  fs::create_directories(s.path / "secret");
  std::ofstream(tmp / "y") << "dropper";
  std::ofstream(tmp / "deep" / "er" / "f") << "nested";
  std::ofstream(shm / "z") << "in shm";
  std::ofstream(s.path / "secret" / "key") << "not for the store";
  fs::create_symlink(s.path / "secret" / "key", tmp / "link");
  fs::create_directory_symlink(s.path / "secret", tmp / "dirlink");
  ASSERT_EQ(::mkfifo((tmp / "fifo").c_str(), 0600), 0);

  const auto outcome = preserve_tmpfs({tmp.string(), shm.string()}, store.string());
  EXPECT_EQ(outcome.files, 3u);
  EXPECT_EQ(read_file(store / tmp.relative_path() / "y"), "dropper");
  EXPECT_EQ(read_file(store / tmp.relative_path() / "deep" / "er" / "f"), "nested");
  EXPECT_EQ(read_file(store / shm.relative_path() / "z"), "in shm");
  EXPECT_FALSE(fs::exists(fs::symlink_status(store / tmp.relative_path() / "link")));
  EXPECT_FALSE(fs::exists(fs::symlink_status(store / tmp.relative_path() / "dirlink")));
  EXPECT_FALSE(fs::exists(fs::symlink_status(store / tmp.relative_path() / "fifo")));
  EXPECT_FALSE(fs::exists(store / ".part"));

  // Again (the exec, then PID 1 on its way out): the same result, files replaced in place.
  std::ofstream(tmp / "y", std::ios::app) << " grew";
  const auto again = preserve_tmpfs({tmp.string(), shm.string()}, store.string());
  EXPECT_EQ(again.files, 3u);
  EXPECT_EQ(read_file(store / tmp.relative_path() / "y"), "dropper grew");
}

TEST(TmpfsPreserve, NeverWritesThroughASymlinkedStore) {
  Scratch s;
  fs::create_directories(s.path / "tmp");
  std::ofstream(s.path / "tmp" / "y") << "x";
  fs::create_directories(s.path / "elsewhere");
  fs::create_directory_symlink(s.path / "elsewhere", s.path / "store");
  const auto outcome = preserve_tmpfs({(s.path / "tmp").string()}, (s.path / "store").string());
  // The link is removed, not followed, and a real store takes its place.
  EXPECT_EQ(outcome.files, 1u);
  EXPECT_FALSE(fs::is_symlink(s.path / "store"));
  EXPECT_EQ(read_file(s.path / "store" / (s.path / "tmp").relative_path() / "y"), "x");
  EXPECT_TRUE(fs::is_empty(s.path / "elsewhere"));
}

TEST(TmpfsPreserve, FilesPlantedInTheStoreAreNotPassedOffAsTmpfsFiles) {
  Scratch s;
  const fs::path tmp = s.path / "tmp", store = s.path / "store";
  fs::create_directories(tmp);
  std::ofstream(tmp / "real") << "from /tmp";
  fs::create_directories(store / tmp.relative_path());
  std::ofstream(store / tmp.relative_path() / "planted") << "never in /tmp";
  std::ofstream(store / "stray") << "odd";
  const auto outcome = preserve_tmpfs({tmp.string()}, store.string());
  EXPECT_EQ(outcome.files, 1u);
  EXPECT_EQ(read_file(store / tmp.relative_path() / "real"), "from /tmp");
  EXPECT_FALSE(fs::exists(store / tmp.relative_path() / "planted"));
  EXPECT_FALSE(fs::exists(store / "stray"));
}

TEST(TmpfsPreserve, RespectsTheLimits) {
  Scratch s;
  fs::create_directories(s.path / "tmp");
  for (int i = 0; i < 10; ++i) std::ofstream(s.path / "tmp" / std::to_string(i)) << "0123456789";
  PreserveLimits limits;
  limits.max_files = 4;
  const auto by_count = preserve_tmpfs({(s.path / "tmp").string()}, (s.path / "a").string(), limits);
  EXPECT_EQ(by_count.files, 4u);
  limits = PreserveLimits();
  limits.max_bytes = 25;
  const auto by_bytes = preserve_tmpfs({(s.path / "tmp").string()}, (s.path / "b").string(), limits);
  EXPECT_EQ(by_bytes.files, 2u);
  EXPECT_LE(by_bytes.bytes, 25u);
}

TEST(TmpfsPreserve, MissingRootIsNotAnError) {
  Scratch s;
  const auto outcome = preserve_tmpfs({(s.path / "nope").string()}, (s.path / "store").string());
  EXPECT_EQ(outcome.files, 0u);
  EXPECT_EQ(outcome.failures, 0u);
}

}  // namespace
}  // namespace hermes::init
