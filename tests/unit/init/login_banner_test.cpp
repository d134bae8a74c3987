// The banner an interactive login prints, against Debian 12's bytes, and the lastlog/wtmp
// reading and writing behind its "Last login" line.
#include "init/login_banner.hpp"

#include <sys/stat.h>
#include <utmp.h>

#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "init/last_login.hpp"
#include "unit/record/test_files.hpp"

namespace hermes::init {
namespace {

namespace fs = std::filesystem;
using hermes::testing::TempDir;

// Debian 12's /etc/motd (base-files 12.4), byte for byte: it starts with an empty line.
constexpr const char* kDebianMotd =
    "\n"
    "The programs included with the Debian GNU/Linux system are free software;\n"
    "the exact distribution terms for each program are described in the\n"
    "individual files in /usr/share/doc/*/copyright.\n"
    "\n"
    "Debian GNU/Linux comes with ABSOLUTELY NO WARRANTY, to the extent\n"
    "permitted by applicable law.\n";

class UtcTime : public ::testing::Test {
 protected:
  void SetUp() override {
    setenv("TZ", "UTC", 1);
    tzset();
  }
};

using LoginBanner = UtcTime;

TEST_F(LoginBanner, DebianLayoutUnameMotdThenLastLogin) {
  BannerParts parts;
  parts.uname = "Linux prod-web-01 6.1.0-18-amd64 #1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1 (2024-02-01) x86_64\n";
  parts.motd = kDebianMotd;
  parts.previous = PreviousLogin{1700000000, "198.51.100.23"};
  EXPECT_EQ(compose_banner(parts),
            std::string(*parts.uname) + kDebianMotd +
                "Last login: Tue Nov 14 22:13:20 2023 from 198.51.100.23\n");
}

TEST_F(LoginBanner, FirstLoginHasNoLastLoginLine) {
  BannerParts parts;
  parts.motd = kDebianMotd;
  EXPECT_EQ(compose_banner(parts), kDebianMotd);
}

TEST_F(LoginBanner, HushloginSilencesEverything) {
  BannerParts parts;
  parts.hushed = true;
  parts.motd = kDebianMotd;
  parts.previous = PreviousLogin{1700000000, "198.51.100.23"};
  EXPECT_EQ(compose_banner(parts), "");
}

TEST_F(LoginBanner, MotdWithoutFinalNewlineGetsOne) {
  BannerParts parts;
  parts.motd = "welcome";
  parts.previous = PreviousLogin{1700000000, ""};
  EXPECT_EQ(compose_banner(parts), "welcome\nLast login: Tue Nov 14 22:13:20 2023\n");
}

TEST_F(LoginBanner, DayOfMonthIsSpacePaddedAsCtimeDoes) {
  EXPECT_EQ(format_last_login(PreviousLogin{1699000000, "10.0.0.2"}),
            "Last login: Fri Nov  3 08:26:40 2023 from 10.0.0.2\n");
}

TEST(UnameLine, IsUnameSnrvm) {
  utsname names{};
  std::strcpy(names.sysname, "Linux");
  std::strcpy(names.nodename, "web");
  std::strcpy(names.release, "6.1.0-18-amd64");
  std::strcpy(names.version, "#1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1 (2024-02-01)");
  std::strcpy(names.machine, "x86_64");
  EXPECT_EQ(uname_line(names),
            "Linux web 6.1.0-18-amd64 #1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1 (2024-02-01) x86_64\n");
}

class LastLoginFiles : public UtcTime {
 protected:
  void SetUp() override {
    UtcTime::SetUp();
    fs::create_directories(dir_.path() + "/var/log");
  }
  std::string root() const { return dir_.path(); }
  void create(const std::string& relative) { std::ofstream(dir_.file(relative)); }
  void append_wtmp(short type, const char* user, const char* host, int32_t when) {
    utmp entry{};
    entry.ut_type = type;
    std::strncpy(entry.ut_user, user, sizeof entry.ut_user);
    std::strncpy(entry.ut_host, host, sizeof entry.ut_host);
    entry.ut_tv.tv_sec = when;
    std::ofstream(dir_.file("var/log/wtmp"), std::ios::binary | std::ios::app)
        .write(reinterpret_cast<const char*>(&entry), sizeof entry);
  }
  TempDir dir_;
};

TEST_F(LastLoginFiles, NothingWithoutFiles) { EXPECT_FALSE(previous_login(0, "root", root())); }

TEST_F(LastLoginFiles, LastlogIsWrittenPerUidAndReadBack) {
  create("var/log/lastlog");
  EXPECT_FALSE(previous_login(1000, "alice", root()));
  remember_login(1000, "pts/0", "203.0.113.5", 1700000000, root());
  remember_login(0, "pts/1", "203.0.113.6", 1700000100, root());
  const auto alice = previous_login(1000, "alice", root());
  ASSERT_TRUE(alice);
  EXPECT_EQ(alice->when, 1700000000);
  EXPECT_EQ(alice->host, "203.0.113.5");
  EXPECT_EQ(previous_login(0, "root", root())->host, "203.0.113.6");
  EXPECT_EQ(fs::file_size(dir_.file("var/log/lastlog")), 1001 * sizeof(lastlog));
}

TEST_F(LastLoginFiles, RememberDoesNotCreateAMissingLastlog) {
  remember_login(0, "pts/0", "203.0.113.5", 1700000000, root());
  EXPECT_FALSE(fs::exists(dir_.file("var/log/lastlog")));
}

TEST_F(LastLoginFiles, WtmpSeedsTheLineWhenLastlogHasNoRecord) {
  create("var/log/lastlog");
  append_wtmp(USER_PROCESS, "root", "192.0.2.1", 1690000000);
  append_wtmp(USER_PROCESS, "admin", "192.0.2.2", 1690000500);
  append_wtmp(USER_PROCESS, "root", "192.0.2.3", 1690001000);
  append_wtmp(DEAD_PROCESS, "root", "", 1690002000);
  const auto root_login = previous_login(0, "root", root());
  ASSERT_TRUE(root_login);
  EXPECT_EQ(root_login->when, 1690001000);
  EXPECT_EQ(root_login->host, "192.0.2.3");
  remember_login(0, "pts/0", "203.0.113.9", 1700000000, root());
  EXPECT_EQ(previous_login(0, "root", root())->host, "203.0.113.9");  // lastlog wins
}

TEST_F(LastLoginFiles, SymlinksAndFifosAreNotFollowed) {
  std::ofstream(dir_.file("target"));
  fs::create_symlink(dir_.file("target"), dir_.file("var/log/lastlog"));
  remember_login(0, "pts/0", "203.0.113.5", 1700000000, root());
  EXPECT_EQ(fs::file_size(dir_.file("target")), 0u);
  ASSERT_EQ(mkfifo(dir_.file("var/log/wtmp").c_str(), 0600), 0);
  EXPECT_FALSE(previous_login(0, "root", root()));  // returns at once, no writer needed
}

TEST_F(LastLoginFiles, GatherReadsMotdUnameMarkerAndHushlogin) {
  fs::create_directories(dir_.path() + "/etc/update-motd.d");
  fs::create_directories(dir_.path() + "/home/alice");
  std::ofstream(dir_.file("etc/motd")) << kDebianMotd;
  std::ofstream(dir_.file("etc/update-motd.d/10-uname")) << "#!/bin/sh\nuname -snrvm\n";
  const Account alice{"alice", 1000, 1000, "/home/alice", "/bin/bash"};
  BannerParts parts = gather_banner(alice, root());
  EXPECT_FALSE(parts.hushed);
  EXPECT_EQ(parts.motd, kDebianMotd);
  ASSERT_TRUE(parts.uname);
  EXPECT_TRUE(parts.uname->starts_with("Linux ")) << *parts.uname;
  std::ofstream(dir_.file("home/alice/.hushlogin"));
  EXPECT_TRUE(gather_banner(alice, root()).hushed);
}

}  // namespace
}  // namespace hermes::init
