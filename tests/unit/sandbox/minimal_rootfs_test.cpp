#include "sandbox/minimal_rootfs.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "sandbox/elf_check.hpp"

namespace hermes::sandbox {
namespace {

namespace fs = std::filesystem;

std::string slurp(const char* path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

TEST(ElfCheck, TellsStaticFromDynamic) {
  if (access("/bin/busybox", R_OK) != 0) GTEST_SKIP() << "needs Debian's busybox-static";
  auto busybox = is_static_elf(slurp("/bin/busybox"));
  ASSERT_TRUE(busybox.has_value()) << busybox.error().message;
  EXPECT_TRUE(*busybox);
  auto ls = is_static_elf(slurp("/bin/ls"));
  ASSERT_TRUE(ls.has_value()) << ls.error().message;
  EXPECT_FALSE(*ls);
}

TEST(ElfCheck, RejectsNonElfAndTruncatedHeaders) {
  EXPECT_FALSE(is_static_elf("#!/bin/sh\necho hi\n").has_value());
  EXPECT_FALSE(is_static_elf("").has_value());
  std::string header = slurp("/bin/ls").substr(0, 64);
  ASSERT_EQ(header.size(), 64u);
  EXPECT_FALSE(is_static_elf(header).has_value());  // program headers beyond the end
  std::string elf32 = header;
  elf32[4] = 1;
  EXPECT_FALSE(is_static_elf(elf32).has_value());
}

TEST(AppletList, ParsesSortsAndDropsInit) {
  auto applets = parse_applet_list("usr/bin/awk\nbin/ash\nsbin/init\nlinuxrc\nusr/bin/[\nbin/ash\n\n");
  ASSERT_TRUE(applets.has_value()) << applets.error().message;
  EXPECT_EQ(*applets, (std::vector<std::string>{"bin/ash", "usr/bin/[", "usr/bin/awk"}));
}

TEST(AppletList, RejectsOddPaths) {
  EXPECT_FALSE(parse_applet_list("/bin/ash\n").has_value());
  EXPECT_FALSE(parse_applet_list("bin/../../etc/passwd\n").has_value());
  EXPECT_FALSE(parse_applet_list("bin/a b\n").has_value());
  EXPECT_FALSE(parse_applet_list("bin/\n").has_value());
  EXPECT_FALSE(parse_applet_list("").has_value());
  EXPECT_FALSE(parse_applet_list("sbin/init\n").has_value());  // nothing left
}

std::string run(const std::string& command) {
  std::string out;
  FILE* pipe = popen(command.c_str(), "r");
  char buf[4096];
  std::size_t n;
  while (pipe && (n = fread(buf, 1, sizeof buf, pipe)) > 0) out.append(buf, n);
  if (pipe) pclose(pipe);
  return out;
}

TEST(MinimalRootfs, HoldsBusyboxInitAndTheBaseFiles) {
  if (access("/bin/busybox", X_OK) != 0) GTEST_SKIP() << "needs Debian's busybox-static";
  MinimalRootfsInputs inputs;
  inputs.init_path = "/bin/busybox";  // any static ELF stands in for hermes-init here
  inputs.mtime = 1700000000;
  auto tar = build_minimal_rootfs(inputs);
  ASSERT_TRUE(tar.has_value()) << tar.error().message;

  const fs::path file = fs::temp_directory_path() / ("minimal_rootfs_test_" + std::to_string(getpid()) + ".tar");
  std::ofstream(file, std::ios::binary) << *tar;
  const std::string listing = run("tar --numeric-owner -tvf " + file.string() + " 2>&1");
  fs::remove(file);

  auto has = [&](const std::string& text) { return listing.find(text) != std::string::npos; };
  EXPECT_TRUE(has("-rwxr-xr-x 0/0") && has(" bin/busybox\n")) << listing;
  EXPECT_TRUE(has(" sbin/init\n")) << listing;
  EXPECT_FALSE(has("sbin/init ->")) << "the applet must not shadow hermes-init";
  EXPECT_TRUE(has(" bin/sh -> /bin/busybox\n"));
  EXPECT_TRUE(has("-rw-r----- 0/0") && has(" etc/shadow\n"));
  EXPECT_TRUE(has("drwx------ 0/0") && has(" root/\n"));
  EXPECT_TRUE(has("drwxrwxrwt 0/0") && has(" tmp/\n"));
  EXPECT_TRUE(has(" var/run -> /run\n"));
  for (const char* path : {" etc/passwd\n", " etc/group\n", " etc/hostname\n", " etc/hosts\n",
                           " etc/profile\n", " etc/os-release\n", " run/utmp\n", " var/log/wtmp\n",
                           " home/\n", " var/tmp/\n", " dev/\n", " proc/\n", " sys/\n"}) {
    EXPECT_TRUE(has(path)) << path;
  }
  EXPECT_EQ(listing.find("tar:"), std::string::npos) << listing;
}

TEST(MinimalRootfs, RefusesADynamicInit) {
  if (access("/bin/busybox", X_OK) != 0) GTEST_SKIP() << "needs Debian's busybox-static";
  MinimalRootfsInputs inputs;
  inputs.init_path = "/bin/ls";
  auto tar = build_minimal_rootfs(inputs);
  ASSERT_FALSE(tar.has_value());
  EXPECT_NE(tar.error().message.find("dynamically linked"), std::string::npos) << tar.error().message;
  inputs.init_path = "/nonexistent/hermes-init";
  tar = build_minimal_rootfs(inputs);
  ASSERT_FALSE(tar.has_value());
  EXPECT_NE(tar.error().message.find("/nonexistent/hermes-init"), std::string::npos);
}

}  // namespace
}  // namespace hermes::sandbox
