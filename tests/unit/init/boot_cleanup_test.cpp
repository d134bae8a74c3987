// What init removes and rewrites at boot, against a throwaway root.
#include "init/boot_cleanup.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "unit/record/test_files.hpp"

namespace hermes::init {
namespace {

namespace fs = std::filesystem;
using hermes::testing::read_file;
using hermes::testing::TempDir;

TEST(DebianHosts, NamesTheHostOn127011LikeDebiansInstaller) {
  EXPECT_EQ(debian_hosts("prod-web-01"),
            "127.0.0.1\tlocalhost\n127.0.1.1\tprod-web-01\n\n"
            "# The following lines are desirable for IPv6 capable hosts\n"
            "::1     localhost ip6-localhost ip6-loopback\n"
            "ff02::1 ip6-allnodes\nff02::2 ip6-allrouters\n");
}

TEST(DebianHosts, AnOddHostnameIsLeftOut) {
  EXPECT_EQ(debian_hosts("a b\n1.2.3.4 evil").find("evil"), std::string::npos);
  EXPECT_EQ(debian_hosts("").find("127.0.1.1"), std::string::npos);
}

TEST(HideContainerMarks, RemovesDockerenvAndRewritesHostsInPlace) {
  TempDir dir;
  fs::create_directories(dir.path() + "/etc");
  std::ofstream(dir.file(".dockerenv"));
  std::ofstream(dir.file("etc/hosts")) << "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost\n";
  struct stat before {};
  ASSERT_EQ(stat(dir.file("etc/hosts").c_str(), &before), 0);
  hide_container_marks(dir.path());
  EXPECT_FALSE(fs::exists(dir.file(".dockerenv")));
  char name[256] = {};
  ASSERT_EQ(gethostname(name, sizeof name - 1), 0);
  EXPECT_EQ(read_file(dir.file("etc/hosts")), debian_hosts(name));
  struct stat after {};
  ASSERT_EQ(stat(dir.file("etc/hosts").c_str(), &after), 0);
  EXPECT_EQ(after.st_ino, before.st_ino);  // a bind-mounted file cannot be replaced, only written
}

TEST(HideContainerMarks, DoesNotWriteThroughASymlink) {
  TempDir dir;
  fs::create_directories(dir.path() + "/etc");
  std::ofstream(dir.file("victim")) << "keep";
  fs::create_symlink(dir.file("victim"), dir.file("etc/hosts"));
  hide_container_marks(dir.path());
  EXPECT_EQ(read_file(dir.file("victim")), "keep");
}

TEST(RemovePreservedTmpfs, RemovesTheTreeButNothingItLinksTo) {
  TempDir dir;
  fs::create_directories(dir.path() + "/.hermes-tmpfs/tmp/deep/er");
  std::ofstream(dir.file(".hermes-tmpfs/tmp/deep/er/x")) << "x";
  std::ofstream(dir.file("victim")) << "keep";
  fs::create_directory(dir.file("victim-dir"));
  std::ofstream(dir.file("victim-dir/inner")) << "keep";
  fs::create_symlink(dir.file("victim"), dir.file(".hermes-tmpfs/tmp/link"));
  fs::create_directory_symlink(dir.file("victim-dir"), dir.file(".hermes-tmpfs/tmp/dirlink"));
  hide_container_marks(dir.path());
  EXPECT_FALSE(fs::exists(dir.file(".hermes-tmpfs")));
  EXPECT_EQ(read_file(dir.file("victim")), "keep");
  EXPECT_EQ(read_file(dir.file("victim-dir/inner")), "keep");
}

TEST(RemovePreservedTmpfs, AStoreThatIsASymlinkIsUnlinkedNotFollowed) {
  TempDir dir;
  fs::create_directory(dir.file("victim-dir"));
  std::ofstream(dir.file("victim-dir/inner")) << "keep";
  fs::create_directory_symlink(dir.file("victim-dir"), dir.file(".hermes-tmpfs"));
  remove_preserved_tmpfs(dir.path());
  EXPECT_FALSE(fs::is_symlink(dir.file(".hermes-tmpfs")));
  EXPECT_EQ(read_file(dir.file("victim-dir/inner")), "keep");
}

}  // namespace
}  // namespace hermes::init
