// The account line hermes-init prints for `--account` and Hermes parses: round trip, and that
// nothing but a well-formed line is taken (a refused line means Hermes falls back to root).
#include "common/account.hpp"

#include <gtest/gtest.h>

namespace hermes {
namespace {

AccountLine alice() { return AccountLine{Account{"alice", 1000, 1001, "/home/alice", "/bin/bash"}, "/home/alice"}; }

TEST(AccountLine, RoundTrips) {
  const auto text = format_account_line(alice());
  ASSERT_TRUE(text);
  EXPECT_EQ(*text, "HERMES-ACCOUNT/2 alice:1000:1001:/home/alice:/bin/bash:/home/alice\n");
  const auto parsed = parse_account_line(*text);
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->account.name, "alice");
  EXPECT_EQ(parsed->account.uid, 1000u);
  EXPECT_EQ(parsed->account.gid, 1001u);
  EXPECT_EQ(parsed->account.home, "/home/alice");
  EXPECT_EQ(parsed->account.shell, "/bin/bash");
  EXPECT_EQ(parsed->cwd, "/home/alice");
}

TEST(AccountLine, FormatterRefusesFieldsThatWouldShiftTheColumns) {
  for (const char* bad : {"a:b", "a\nb"}) {
    AccountLine line = alice();
    line.account.home = bad;
    EXPECT_FALSE(format_account_line(line)) << bad;
  }
  AccountLine line = alice();
  line.account.shell = std::string("/bin/sh\0x", 9);
  EXPECT_FALSE(format_account_line(line));
}

TEST(AccountLine, TellsWhatTheAnsweringInitCanDo) {
  // An image built by an older release answers with protocol 1: no exec launcher there.
  const auto old_init = parse_account_line("HERMES-ACCOUNT/1 a:0:0:/root:/bin/sh:/root\n");
  ASSERT_TRUE(old_init);
  EXPECT_EQ(old_init->init_protocol, 1u);
  EXPECT_EQ(format_account_line(*old_init), "HERMES-ACCOUNT/1 a:0:0:/root:/bin/sh:/root\n");
  // A newer one is taken as the highest protocol this Hermes knows.
  const auto newer_init = parse_account_line("HERMES-ACCOUNT/7 a:0:0:/root:/bin/sh:/root\n");
  ASSERT_TRUE(newer_init);
  EXPECT_EQ(newer_init->init_protocol, kAccountProtocol);
  for (const char* bad : {"HERMES-ACCOUNT/0 a:0:0:/h:/bin/sh:/", "HERMES-ACCOUNT/ a:0:0:/h:/bin/sh:/",
                          "HERMES-ACCOUNT/12 a:0:0:/h:/bin/sh:/", "HERMES-ACCOUNT/2a:0:0:/h:/bin/sh:/"}) {
    EXPECT_FALSE(parse_account_line(bad)) << bad;
  }
}

TEST(AccountLine, ParserRefusesAnythingElse) {
  for (const char* bad : {"", "alice:1000:1000:/home/alice:/bin/bash:/",
                          "HERMES-ACCOUNT/1 alice:1000:1000:/home/alice:/bin/bash",
                          "HERMES-ACCOUNT/1 alice:1000:1000:/home/alice:/bin/bash:/:extra",
                          "HERMES-ACCOUNT/1 :1000:1000:/h:/bin/sh:/",
                          "HERMES-ACCOUNT/1 a:-1:0:/h:/bin/sh:/",
                          "HERMES-ACCOUNT/1 a:4294967295:0:/h:/bin/sh:/",
                          "HERMES-ACCOUNT/1 a:0:0:/h:/bin/sh:relative",
                          "HERMES-ACCOUNT/1 a:0:0:/h:/bin/sh:/\nHERMES-ACCOUNT/1 b:0:0:/h:/bin/sh:/\n",
                          "OCI runtime exec failed: exec failed: unable to start container process"}) {
    EXPECT_FALSE(parse_account_line(bad)) << bad;
  }
  EXPECT_FALSE(parse_account_line("HERMES-ACCOUNT/1 a:0:0:/h:/bin/sh:/" + std::string(5000, 'x')));
}

}  // namespace
}  // namespace hermes
