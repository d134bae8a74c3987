// The pure /etc/passwd and /etc/group helpers of hermes-init. Their input is a file the attacker
// may have rewritten in an earlier session of a kept container, so most cases here are hostile.
#include "init/accounts.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

namespace hermes::init {
namespace {

constexpr std::string_view kDebianPasswd =
    "root:x:0:0:root:/root:/bin/bash\n"
    "daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n"
    "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n"
    "alice:x:1000:1000:Alice,,,:/home/alice:/bin/bash\n";

constexpr std::string_view kDebianGroup =
    "root:x:0:\n"
    "sudo:x:27:alice\n"
    "nogroup:x:65534:\n"
    "alice:x:1000:\n";

// One passwd line for `name` with the given id fields, so a test changes only what it is about.
std::string passwd_line(std::string_view name, std::string_view uid, std::string_view gid) {
  return std::string(name) + ":x:" + std::string(uid) + ":" + std::string(gid) + ":" +
         std::string(name) + ":/home/" + std::string(name) + ":/bin/sh\n";
}

TEST(FindAccount, ReturnsEveryFieldOfAnExistingEntry) {
  auto alice = find_account(kDebianPasswd, "alice");
  ASSERT_TRUE(alice);
  EXPECT_EQ(alice->name, "alice");
  EXPECT_EQ(alice->uid, 1000u);
  EXPECT_EQ(alice->gid, 1000u);
  EXPECT_EQ(alice->home, "/home/alice");
  EXPECT_EQ(alice->shell, "/bin/bash");

  auto root = find_account(kDebianPasswd, "root");
  ASSERT_TRUE(root);
  EXPECT_EQ(root->uid, 0u);
  EXPECT_EQ(root->home, "/root");
}

TEST(FindAccount, UnknownNamesAndPrefixesAreNotFound) {
  EXPECT_FALSE(find_account(kDebianPasswd, "bob"));
  EXPECT_FALSE(find_account(kDebianPasswd, "ali"));     // a prefix of alice
  EXPECT_FALSE(find_account(kDebianPasswd, "alicex"));  // alice is a prefix of it
  EXPECT_FALSE(find_account(kDebianPasswd, ""));
  EXPECT_FALSE(find_account("", "root"));
  EXPECT_FALSE(find_account("\n\n\n", "root"));
}

TEST(FindAccount, LastLineWithoutNewlineIsRead) {
  auto bob = find_account("root:x:0:0:root:/root:/bin/sh\nbob:x:1001:1002::/home/bob:/bin/sh",
                          "bob");
  ASSERT_TRUE(bob);
  EXPECT_EQ(bob->uid, 1001u);
  EXPECT_EQ(bob->gid, 1002u);
  EXPECT_EQ(bob->shell, "/bin/sh");
}

TEST(FindAccount, EmptyHomeAndShellFieldsAreKeptEmpty) {
  auto bob = find_account("bob:x:1001:1001:::\n", "bob");
  ASSERT_TRUE(bob);
  EXPECT_EQ(bob->home, "");
  EXPECT_EQ(bob->shell, "");
}

TEST(FindAccount, EntriesWithTooFewOrTooManyFieldsAreSkipped) {
  EXPECT_FALSE(find_account("bob:x:1001:1001:/home/bob:/bin/sh\n", "bob"));  // 6 fields
  EXPECT_FALSE(find_account("bob:x:1001:1001::/home/bob:/bin/sh:extra\n", "bob"));
  EXPECT_FALSE(find_account("bob\n", "bob"));
  EXPECT_FALSE(find_account("bob:x:1001\n", "bob"));
  // A broken entry does not hide a good one after it.
  auto bob = find_account("bob:x:1001\nbob:x:1002:1002::/home/bob:/bin/sh\n", "bob");
  ASSERT_TRUE(bob);
  EXPECT_EQ(bob->uid, 1002u);
}

TEST(FindAccount, NonNumericIdsSkipTheEntry) {
  for (std::string_view bad : {"", "abc", "-1", "+5", " 5", "5 ", "0x10", "1e3", "１"}) {
    EXPECT_FALSE(find_account(passwd_line("bob", bad, "1000"), "bob")) << "uid '" << bad << "'";
    EXPECT_FALSE(find_account(passwd_line("bob", "1000", bad), "bob")) << "gid '" << bad << "'";
  }
  auto bob = find_account(passwd_line("bob", "abc", "1") + passwd_line("bob", "1003", "1004"),
                          "bob");
  ASSERT_TRUE(bob);
  EXPECT_EQ(bob->uid, 1003u);
  EXPECT_EQ(bob->gid, 1004u);
}

TEST(FindAccount, IdsThatDoNotFitAUidAreRejected) {
  // (uid_t)-1 means "leave unchanged" to setuid(): it must never come out as an id.
  EXPECT_FALSE(find_account(passwd_line("bob", "4294967295", "1"), "bob"));
  EXPECT_FALSE(find_account(passwd_line("bob", "4294967296", "1"), "bob"));
  EXPECT_FALSE(find_account(passwd_line("bob", "9999999999", "1"), "bob"));
  EXPECT_FALSE(find_account(passwd_line("bob", "18446744073709551617", "1"), "bob"));
  EXPECT_FALSE(find_account(passwd_line("bob", "00000000001", "1"), "bob"));  // 11 digits

  auto largest = find_account(passwd_line("bob", "4294967294", "0000000007"), "bob");
  ASSERT_TRUE(largest);
  EXPECT_EQ(largest->uid, 4294967294u);
  EXPECT_EQ(largest->gid, 7u);
}

TEST(FindAccount, FirstValidDuplicateWinsLikeTheCLibrary) {
  const std::string text = passwd_line("bob", "1001", "1001") + passwd_line("bob", "0", "0");
  auto bob = find_account(text, "bob");
  ASSERT_TRUE(bob);
  EXPECT_EQ(bob->uid, 1001u);
}

TEST(FindAccount, CommentLinesAreNotEntries) {
  EXPECT_FALSE(find_account("#bob:x:1001:1001::/home/bob:/bin/sh\n", "#bob"));
  auto bob = find_account("# bob:x:0:0::/root:/bin/sh\n" + passwd_line("bob", "1001", "1001"),
                          "bob");
  ASSERT_TRUE(bob);
  EXPECT_EQ(bob->uid, 1001u);
}

TEST(FindAccount, OverlongLinesAreSkippedWholeButTheNextLineIsRead) {
  // A valid-looking entry padded past the 4096-byte line cap, then the real one.
  const std::string padded = "bob:x:0:0:" + std::string(5000, 'A') + ":/root:/bin/sh\n";
  EXPECT_FALSE(find_account(padded, "bob"));
  auto bob = find_account(padded + passwd_line("bob", "1001", "1001"), "bob");
  ASSERT_TRUE(bob);
  EXPECT_EQ(bob->uid, 1001u);

  // Exactly at the cap the line is still an entry.
  std::string at_cap = "bob:x:1005:1005::/home/bob:/bin/sh";
  at_cap.insert(at_cap.find("::") + 1, std::string(4096 - at_cap.size(), 'g'));
  ASSERT_EQ(at_cap.size(), 4096u);
  ASSERT_TRUE(find_account(at_cap, "bob"));
  at_cap.insert(at_cap.find(":g") + 1, "g");  // one byte more, in the same field
  EXPECT_FALSE(find_account(at_cap, "bob"));
}

TEST(FindAccount, NamesWithEmbeddedNulOrCarriageReturnDoNotMatch) {
  const std::string nul_name = std::string("root\0", 5) + ":x:1001:1001::/home/x:/bin/sh\n";
  EXPECT_FALSE(find_account(nul_name, "root"));
  // A CRLF file: the name still matches, the '\r' stays on the last field (the shell), which
  // the login then refuses as not executable.
  auto root = find_account("root:x:0:0:root:/root:/bin/bash\r\n", "root");
  ASSERT_TRUE(root);
  EXPECT_EQ(root->shell, "/bin/bash\r");
}

TEST(FindAccount, ManyColonsAndHugeInputDoNotBreakIt) {
  EXPECT_FALSE(find_account(std::string(4000, ':'), ""));
  std::string huge;
  for (int i = 0; i < 20000; ++i) huge += passwd_line("u" + std::to_string(i), "5", "5");
  huge += passwd_line("bob", "1001", "1001");
  auto bob = find_account(huge, "bob");
  ASSERT_TRUE(bob);
  EXPECT_EQ(bob->uid, 1001u);
}

TEST(FindGroupId, FindsTheGidOfANamedGroup) {
  EXPECT_EQ(find_group_id(kDebianGroup, "sudo"), 27u);
  EXPECT_EQ(find_group_id(kDebianGroup, "root"), 0u);
  EXPECT_EQ(find_group_id(kDebianGroup, "nogroup"), 65534u);
  EXPECT_FALSE(find_group_id(kDebianGroup, "bob"));
  EXPECT_FALSE(find_group_id(kDebianGroup, "sud"));
  EXPECT_FALSE(find_group_id("", "root"));
}

TEST(FindGroupId, MalformedEntriesAreSkipped) {
  EXPECT_FALSE(find_group_id("bob:x:1001\n", "bob"));         // 3 fields
  EXPECT_FALSE(find_group_id("bob:x:1001:a:b\n", "bob"));     // 5 fields
  EXPECT_FALSE(find_group_id("bob:x:oops:\n", "bob"));        // non-numeric
  EXPECT_FALSE(find_group_id("bob:x:4294967295:\n", "bob"));  // (gid_t)-1
  EXPECT_FALSE(find_group_id("#bob:x:5:\n", "#bob"));         // a comment
  EXPECT_EQ(find_group_id("bob:x:oops:\nbob:x:1500:\n", "bob"), 1500u);
  EXPECT_EQ(find_group_id("bob:x:1500:\nbob:x:1600:\n", "bob"), 1500u);  // first one wins
  EXPECT_EQ(find_group_id("bob:x:1500:a,b,c,,,", "bob"), 1500u);  // no final newline
}

TEST(NextFreeId, StartsAtOneThousand) {
  EXPECT_EQ(next_free_id("", ""), 1000u);
  // System and nobody ids are outside the range and change nothing.
  EXPECT_EQ(next_free_id("root:x:0:0::/root:/bin/sh\n" + passwd_line("nobody", "65534", "65534"),
                         "nogroup:x:65534:\n"),
            1000u);
}

TEST(NextFreeId, SkipsUidsPrimaryGidsAndGroupIds) {
  EXPECT_EQ(next_free_id(kDebianPasswd, kDebianGroup), 1001u);
  const std::string passwd = passwd_line("a", "1000", "1") + passwd_line("b", "2", "1001");
  EXPECT_EQ(next_free_id(passwd, "g:x:1002:\n"), 1003u);
  EXPECT_EQ(next_free_id("", "g:x:1000:\n"), 1001u);
  EXPECT_EQ(next_free_id(passwd_line("b", "5", "1000"), ""), 1001u);
}

TEST(NextFreeId, TakesTheFirstGap) {
  const std::string passwd = passwd_line("a", "1000", "1000") + passwd_line("c", "1002", "1002");
  EXPECT_EQ(next_free_id(passwd, ""), 1001u);
}

TEST(NextFreeId, BrokenEntriesAndCommentsDoNotReserveIds) {
  const std::string passwd = "#a:x:1000:1000::/:/bin/sh\n"   // a comment
                             "b:x:1000:1000:/:/bin/sh\n"     // 6 fields
                             "c:x:1000x:1000y::/:/bin/sh\n"  // non-numeric
                             "d:x:1000:1000::/:/bin/sh:e\n";  // 8 fields
  EXPECT_EQ(next_free_id(passwd, "g:x:1000\n#h:x:1000:\n"), 1000u);
}

TEST(NextFreeId, ReturnsNothingWhenTheWholeRangeIsTaken) {
  std::string passwd;
  for (unsigned id = 1000; id <= 59999; ++id) {
    passwd += passwd_line("u" + std::to_string(id), std::to_string(id), "100");
  }
  EXPECT_FALSE(next_free_id(passwd, ""));
  // Only the last one left: found, never one past Debian's LAST_UID.
  const std::size_t last = passwd.rfind("u59999:");
  EXPECT_EQ(next_free_id(std::string_view(passwd).substr(0, last), ""), 59999u);
}

TEST(IsValidUserName, AcceptsUseraddNames) {
  for (std::string_view name : {"a", "alice", "_svc", "user-1", "a_b", "x9", "ubuntu"}) {
    EXPECT_TRUE(is_valid_user_name(name)) << name;
  }
  EXPECT_TRUE(is_valid_user_name(std::string(32, 'a')));
}

TEST(IsValidUserName, RejectsEverythingElse) {
  for (std::string_view name :
       {"", "Alice", "1abc", "-x", "al ice", "a:b", "a/b", "../x", ".", "..", "a.b", "a\n", "a\r",
        "\xc3\xa9t\xc3\xa9", "root;id", "$(id)", "a*", "a\\b"}) {
    EXPECT_FALSE(is_valid_user_name(name)) << name;
  }
  EXPECT_FALSE(is_valid_user_name(std::string(33, 'a')));
  EXPECT_FALSE(is_valid_user_name(std::string_view("ab\0c", 4)));
}

TEST(RootAccount, IsUidZeroWithAHomeAndAShell) {
  const Account root = root_account();
  EXPECT_EQ(root.name, "root");
  EXPECT_EQ(root.uid, 0u);
  EXPECT_EQ(root.gid, 0u);
  EXPECT_EQ(root.home, "/root");
  EXPECT_EQ(root.shell, "/bin/sh");
}

}  // namespace
}  // namespace hermes::init
