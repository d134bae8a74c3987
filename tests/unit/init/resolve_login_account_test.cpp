// resolve_login_account against a throwaway system root: finding, creating (passwd, group,
// shadow, home) and every way of falling back to root.
#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <ctime>
#include <filesystem>
#include <fstream>
#include <string>

#include "init/accounts.hpp"
#include "unit/record/test_files.hpp"

namespace hermes::init {
namespace {

namespace fs = std::filesystem;
using hermes::testing::read_file;
using hermes::testing::TempDir;

constexpr const char* kPasswd =
    "root:x:0:0:root:/root:/bin/bash\n"
    "daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n"
    "alice:x:1000:1000:Alice,,,:/home/alice:/bin/bash\n";
constexpr const char* kGroup = "root:x:0:\nsudo:x:27:alice\nalice:x:1000:\n";
constexpr const char* kShadow = "root:*:19000:0:99999:7:::\nalice:!:19000:0:99999:7:::\n";

class ResolveLoginAccount : public ::testing::Test {
 protected:
  void SetUp() override {
    fs::create_directories(dir_.path() + "/etc");
    write("etc/passwd", kPasswd);
    write("etc/group", kGroup);
    write("etc/shadow", kShadow);
  }

  void write(const std::string& relative, const std::string& text) {
    std::ofstream(dir_.file(relative), std::ios::binary | std::ios::trunc) << text;
  }
  std::string read(const std::string& relative) const { return read_file(dir_.file(relative)); }
  Account resolve(const std::string& user) const { return resolve_login_account(user, root()); }
  std::string dir_file(const std::string& relative) const { return dir_.file(relative); }
  const std::string& root() const { return dir_.path(); }

  static void expect_root(const Account& account) {
    EXPECT_EQ(account.name, "root");
    EXPECT_EQ(account.uid, 0u);
    EXPECT_EQ(account.gid, 0u);
  }
  void expect_files_untouched() const {
    EXPECT_EQ(read("etc/passwd"), kPasswd);
    EXPECT_EQ(read("etc/group"), kGroup);
    EXPECT_EQ(read("etc/shadow"), kShadow);
    EXPECT_FALSE(fs::exists(dir_file("home")));
  }

 private:
  TempDir dir_;
};

TEST_F(ResolveLoginAccount, ExistingUserIsReturnedAndNothingIsWritten) {
  const Account alice = resolve("alice");
  EXPECT_EQ(alice.name, "alice");
  EXPECT_EQ(alice.uid, 1000u);
  EXPECT_EQ(alice.home, "/home/alice");
  EXPECT_EQ(alice.shell, "/bin/bash");
  const Account root = resolve("root");
  expect_root(root);
  EXPECT_EQ(root.shell, "/bin/bash");  // the image's entry, not the built-in one
  expect_files_untouched();
}

TEST_F(ResolveLoginAccount, MissingUserIsCreatedLikeAdduser) {
  const Account bob = resolve("bob");
  EXPECT_EQ(bob.name, "bob");
  EXPECT_EQ(bob.uid, 1001u);
  EXPECT_EQ(bob.gid, 1001u);
  EXPECT_EQ(bob.home, "/home/bob");
  EXPECT_EQ(bob.shell, "/bin/sh");  // this root has no /bin/bash

  EXPECT_EQ(read("etc/passwd"),
            std::string(kPasswd) + "bob:x:1001:1001:bob,,,:/home/bob:/bin/sh\n");
  EXPECT_EQ(read("etc/group"), std::string(kGroup) + "bob:x:1001:\n");
  const std::string shadow = read("etc/shadow");
  ASSERT_TRUE(shadow.starts_with(kShadow));
  const std::string added = shadow.substr(std::string(kShadow).size());
  const std::string today = std::to_string(std::time(nullptr) / 86400);
  EXPECT_EQ(added, "bob:!:" + today + ":0:99999:7:::\n");

  struct stat home {};
  ASSERT_EQ(stat(dir_file("home/bob").c_str(), &home), 0);
  EXPECT_TRUE(S_ISDIR(home.st_mode));
  EXPECT_EQ(home.st_mode & 07777, 0755u);
  if (geteuid() == 0) {
    EXPECT_EQ(home.st_uid, 1001u);
    EXPECT_EQ(home.st_gid, 1001u);
  }
}

TEST_F(ResolveLoginAccount, CreatedUserIsFoundAgainNotCreatedTwice) {
  const Account first = resolve("bob");
  const std::string passwd = read("etc/passwd");
  const Account second = resolve("bob");
  EXPECT_EQ(second.uid, first.uid);
  EXPECT_EQ(second.home, first.home);
  EXPECT_EQ(read("etc/passwd"), passwd);
  EXPECT_EQ(resolve("carol").uid, 1002u);  // the next one gets the next id
}

TEST_F(ResolveLoginAccount, NewUserGetsBashWhenTheImageHasIt) {
  fs::create_directories(dir_file("bin"));
  write("bin/bash", "#!/bin/true\n");
  fs::permissions(dir_file("bin/bash"), fs::perms::owner_all);
  EXPECT_EQ(resolve("bob").shell, "/bin/bash");
  EXPECT_NE(read("etc/passwd").find(":/home/bob:/bin/bash\n"), std::string::npos);
}

TEST_F(ResolveLoginAccount, ExistingGroupOfTheSameNameIsReused) {
  write("etc/group", std::string(kGroup) + "bob:x:1500:\n");
  const Account bob = resolve("bob");
  EXPECT_EQ(bob.uid, 1001u);
  EXPECT_EQ(bob.gid, 1500u);
  EXPECT_EQ(read("etc/group"), std::string(kGroup) + "bob:x:1500:\n");  // no second bob group
  EXPECT_NE(read("etc/passwd").find("bob:x:1001:1500:"), std::string::npos);
}

TEST_F(ResolveLoginAccount, FilesWithoutFinalNewlineGetOneBeforeTheNewEntry) {
  write("etc/passwd", "root:x:0:0:root:/root:/bin/sh");
  write("etc/group", "root:x:0:");
  write("etc/shadow", "root:*:1:0:99999:7:::");
  const Account bob = resolve("bob");
  EXPECT_EQ(bob.uid, 1000u);
  EXPECT_EQ(read("etc/passwd"),
            "root:x:0:0:root:/root:/bin/sh\nbob:x:1000:1000:bob,,,:/home/bob:/bin/sh\n");
  EXPECT_EQ(read("etc/group"), "root:x:0:\nbob:x:1000:\n");
  EXPECT_TRUE(read("etc/shadow").starts_with("root:*:1:0:99999:7:::\nbob:!:"));
  EXPECT_EQ(resolve("root").uid, 0u);  // root's line was not damaged by the append
}

TEST_F(ResolveLoginAccount, MissingShadowDoesNotStopTheLogin) {
  fs::remove(dir_file("etc/shadow"));
  EXPECT_EQ(resolve("bob").uid, 1001u);
  EXPECT_FALSE(fs::exists(dir_file("etc/shadow")));  // not created behind the image's back
}

TEST_F(ResolveLoginAccount, InvalidNamesLogInAsTheImagesRoot) {
  write("etc/passwd", "root:x:0:0:root:/var/root:/bin/zsh\n");
  for (const char* name : {"", "Bob", "bob;id", "../etc", "b:ob", "bob\n", "-bob"}) {
    const Account account = resolve(name);
    expect_root(account);
    EXPECT_EQ(account.home, "/var/root") << name;
    EXPECT_EQ(account.shell, "/bin/zsh") << name;
  }
  EXPECT_EQ(read("etc/passwd"), "root:x:0:0:root:/var/root:/bin/zsh\n");
  EXPECT_FALSE(fs::exists(dir_file("home")));
}

TEST_F(ResolveLoginAccount, UnreadablePasswdMeansTheBuiltInRoot) {
  fs::remove(dir_file("etc/passwd"));
  const Account account = resolve("bob");
  expect_root(account);
  EXPECT_EQ(account.home, "/root");
  EXPECT_FALSE(fs::exists(dir_file("etc/passwd")));
}

TEST_F(ResolveLoginAccount, SymlinkedPasswdIsNotFollowed) {
  write("etc/real-passwd", "bob:x:1234:1234::/home/bob:/bin/sh\n");
  fs::remove(dir_file("etc/passwd"));
  fs::create_symlink("real-passwd", dir_file("etc/passwd"));
  const Account account = resolve("bob");
  expect_root(account);
  EXPECT_EQ(read("etc/real-passwd"), "bob:x:1234:1234::/home/bob:/bin/sh\n");
}

TEST_F(ResolveLoginAccount, OversizedPasswdIsNotParsedOrExtended) {
  const std::string huge = std::string(kPasswd) + std::string(5 * 1024 * 1024, '#');
  write("etc/passwd", huge);
  const Account account = resolve("alice");  // present, but the file is not trusted at all
  expect_root(account);
  EXPECT_EQ(account.home, "/root");
  EXPECT_EQ(read("etc/passwd").size(), huge.size());
}

TEST_F(ResolveLoginAccount, MissingGroupFileFallsBackToRootWithoutTouchingPasswd) {
  fs::remove(dir_file("etc/group"));
  expect_root(resolve("bob"));
  EXPECT_EQ(read("etc/passwd"), kPasswd);
  EXPECT_FALSE(fs::exists(dir_file("etc/group")));
}

TEST_F(ResolveLoginAccount, NoFreeIdFallsBackToRoot) {
  std::string passwd = kPasswd;
  for (unsigned id = 1001; id <= 59999; ++id) {
    passwd += "u" + std::to_string(id) + ":x:" + std::to_string(id) + ":100::/:/bin/sh\n";
  }
  write("etc/passwd", passwd);
  expect_root(resolve("bob"));
  EXPECT_EQ(read("etc/passwd"), passwd);
}

// Regression: with no root entry, logging in as "root" used to create a user named root with
// uid 1000, an unprivileged "root" that `id` would give away at once.
TEST_F(ResolveLoginAccount, RootIsNeverCreatedAsAnOrdinaryUser) {
  write("etc/passwd", "alice:x:1000:1000::/home/alice:/bin/sh\n");
  const Account account = resolve("root");
  expect_root(account);
  EXPECT_EQ(account.home, "/root");
  EXPECT_EQ(read("etc/passwd"), "alice:x:1000:1000::/home/alice:/bin/sh\n");
  EXPECT_EQ(read("etc/group"), kGroup);
}

TEST_F(ResolveLoginAccount, ExistingHomeDirectoryIsHandedToTheNewUser) {
  fs::create_directories(dir_file("home/bob"));
  const Account bob = resolve("bob");
  struct stat home {};
  ASSERT_EQ(stat(dir_file("home/bob").c_str(), &home), 0);
  if (geteuid() != 0) GTEST_SKIP() << "needs root to observe chown";
  EXPECT_EQ(home.st_uid, bob.uid);
  EXPECT_EQ(home.st_gid, bob.gid);
}

// Regression: a home that is already a symlink (left by an earlier session of a kept container)
// was chown()ed through the link, giving the new user the directory it points to.
TEST_F(ResolveLoginAccount, HomeSymlinkIsNotFollowedWhenTakingOwnership) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root to observe chown";
  fs::create_directories(dir_file("etc/secret"));
  fs::create_directories(dir_file("home"));
  fs::create_symlink("../etc/secret", dir_file("home/bob"));
  const Account bob = resolve("bob");
  EXPECT_EQ(bob.uid, 1001u);
  struct stat target {};
  ASSERT_EQ(stat(dir_file("etc/secret").c_str(), &target), 0);
  EXPECT_EQ(target.st_uid, 0u);
  EXPECT_EQ(target.st_gid, 0u);
}

}  // namespace
}  // namespace hermes::init
