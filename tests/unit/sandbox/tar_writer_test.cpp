#include "sandbox/tar_writer.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "unit/sandbox/scratch_files.hpp"

namespace hermes::sandbox {
namespace {

namespace fs = std::filesystem;

using testing::run_command;

struct TempDir : testing::TempDir {
  TempDir() : testing::TempDir("tar_writer_test") {}
};

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

fs::path write_archive(const TempDir& dir, const std::string& archive) {
  const fs::path tar = dir.path / "out.tar";
  std::ofstream(tar, std::ios::binary) << archive;
  return tar;
}

TEST(TarWriter, GnuTarReadsEveryEntryKind) {
  TarWriter tar(1700000000);
  const std::string payload = std::string(1000, 'x') + "\nend";
  ASSERT_TRUE(tar.add_directory("/etc", 0755));
  ASSERT_TRUE(tar.add_directory("tmp", 01777));
  ASSERT_TRUE(tar.add_file("/etc/shadow", "root:*:1::::::\n", 0640));
  ASSERT_TRUE(tar.add_file("etc/big", payload, 0644));
  ASSERT_TRUE(tar.add_file("etc/empty", "", 0600));
  ASSERT_TRUE(tar.add_symlink("etc/link", "/bin/busybox"));
  const std::string archive = std::move(tar).finish();
  ASSERT_EQ(archive.size() % 512, 0u);
  EXPECT_EQ(archive.substr(archive.size() - 1024), std::string(1024, '\0'));

  TempDir dir;
  const fs::path file = write_archive(dir, archive);
  // --numeric-owner keeps the listing independent of the host's user database.
  const std::string listing = run_command("TZ=UTC tar --numeric-owner -tvf " + file.string() + " 2>&1");
  EXPECT_NE(listing.find("drwxr-xr-x 0/0"), std::string::npos) << listing;
  EXPECT_NE(listing.find("drwxrwxrwt 0/0"), std::string::npos) << listing;
  EXPECT_NE(listing.find("-rw-r----- 0/0              15 2023-11-14"), std::string::npos) << listing;
  EXPECT_NE(listing.find("etc/link -> /bin/busybox"), std::string::npos) << listing;
  EXPECT_EQ(listing.find("checksum"), std::string::npos) << listing;
  EXPECT_EQ(listing.find("tar:"), std::string::npos) << listing;  // no warnings at all

  const fs::path root = dir.path / "x";
  fs::create_directory(root);
  run_command("tar -xpf " + file.string() + " -C " + root.string() + " 2>&1");
  EXPECT_EQ(read_file(root / "etc/big"), payload);
  EXPECT_EQ(read_file(root / "etc/empty"), "");
  EXPECT_EQ(fs::read_symlink(root / "etc/link"), "/bin/busybox");
  struct stat st {};
  ASSERT_EQ(stat((root / "etc/shadow").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0640u);
  ASSERT_EQ(stat((root / "tmp").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 01777u);
  EXPECT_EQ(st.st_mtime, 1700000000);
}

TEST(TarWriter, LongNamesUseThePrefixField) {
  const std::string dir120 = std::string(60, 'a') + "/" + std::string(59, 'b');
  const std::string long_path = dir120 + "/" + std::string(90, 'c');  // 210 bytes
  TarWriter tar(0);
  ASSERT_TRUE(tar.add_directory(dir120, 0755));
  ASSERT_TRUE(tar.add_file(long_path, "deep", 0644));
  const std::string archive = std::move(tar).finish();
  // The file's header: name field holds the last component, prefix the directories.
  const std::string second_header = archive.substr(512, 512);
  EXPECT_EQ(std::string(second_header.c_str()), std::string(90, 'c'));
  EXPECT_EQ(std::string(second_header.c_str() + 345), dir120);

  TempDir dir;
  const fs::path file = write_archive(dir, archive);
  const std::string listing = run_command("tar -tf " + file.string() + " 2>&1");
  EXPECT_EQ(listing, dir120 + "/\n" + long_path + "\n");
  const fs::path root = dir.path / "x";
  fs::create_directory(root);
  run_command("tar -xf " + file.string() + " -C " + root.string());
  EXPECT_EQ(read_file(root / long_path), "deep");
}

TEST(TarWriter, RejectsNamesThatDoNotFit) {
  TarWriter tar(0);
  EXPECT_FALSE(tar.add_file(std::string(101, 'n'), "", 0644));  // no '/' to split at
  EXPECT_FALSE(tar.add_file(std::string(156, 'p') + "/f", "", 0644));  // prefix > 155
  EXPECT_FALSE(tar.add_file("d/" + std::string(101, 'n'), "", 0644));  // name > 100
  EXPECT_FALSE(tar.add_symlink("l", std::string(101, 't')));
  EXPECT_FALSE(tar.add_symlink("l", ""));
  EXPECT_EQ(tar.size(), 0u);  // nothing half-written
}

TEST(TarWriter, RejectsUnsafePathsAndModes) {
  TarWriter tar(0);
  EXPECT_FALSE(tar.add_file("", "", 0644));
  EXPECT_FALSE(tar.add_file("/", "", 0644));
  EXPECT_FALSE(tar.add_file("../etc/passwd", "", 0644));
  EXPECT_FALSE(tar.add_file("etc/../../x", "", 0644));
  EXPECT_FALSE(tar.add_file("etc//x", "", 0644));
  EXPECT_FALSE(tar.add_file("./x", "", 0644));
  EXPECT_FALSE(tar.add_file(std::string("a\0b", 3), "", 0644));
  EXPECT_FALSE(tar.add_file("x", "", 0100644));  // a type bit, not a permission
  EXPECT_EQ(tar.size(), 0u);
  EXPECT_TRUE(tar.add_file("x", "", 0644));
  EXPECT_EQ(tar.size(), 512u);
}

}  // namespace
}  // namespace hermes::sandbox
