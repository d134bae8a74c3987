#include "sandbox/image_recipe.hpp"

#include <gtest/gtest.h>

namespace hermes::sandbox {
namespace {

TEST(PackageList, SortsDeduplicatesAndSkipsComments) {
  auto names = parse_package_list("# tools\nvim-tiny\n\ncurl   # the client\n  bash\ncurl\npython3 git\r\n");
  ASSERT_TRUE(names) << names.error().message;
  EXPECT_EQ(*names, (std::vector<std::string>{"bash", "curl", "git", "python3", "vim-tiny"}));
}

TEST(PackageList, RejectsWhatIsNotAPackageName) {
  for (const char* text : {"curl;rm -rf /\n", "Bash\n", "x\n", "--force-yes\n", "openssh-server:amd64\n",
                           "ok\n../etc\n"}) {
    auto names = parse_package_list(text);
    EXPECT_FALSE(names) << text;
  }
  auto named = parse_package_list("bash\nBad\n");
  ASSERT_FALSE(named);
  EXPECT_NE(named.error().message.find("line 2"), std::string::npos) << named.error().message;
}

TEST(PackageList, EmptyListIsAnError) {
  EXPECT_FALSE(parse_package_list("# nothing\n\n"));
}

TEST(PackageList, BoundsLineLength) {
  EXPECT_FALSE(parse_package_list(std::string(2000, 'a') + "\n"));
}

TEST(Age, Units) {
  EXPECT_EQ(parse_age("90s").value(), 90);
  EXPECT_EQ(parse_age("30m").value(), 1800);
  EXPECT_EQ(parse_age("5h").value(), 5 * 3600);
  EXPECT_EQ(parse_age("12d").value(), 12 * 86400);
  for (const char* bad : {"", "d", "5", "5w", "-3d", "3.5d", "99999999d", "1e3m"}) {
    EXPECT_FALSE(parse_age(bad)) << bad;
  }
}

TEST(OverlayManifest, ParsesRules) {
  auto rules = parse_overlay_manifest(
      "# path owner:group mode age\n"
      "/home/admin/.bash_history  admin:admin 0600 26h\n"
      "/etc/config/app.env root:1001 - -   # comment\n");
  ASSERT_TRUE(rules) << rules.error().message;
  ASSERT_EQ(rules->size(), 2u);
  EXPECT_EQ((*rules)[0].path, "home/admin/.bash_history");
  EXPECT_EQ((*rules)[0].owner, "admin");
  EXPECT_EQ((*rules)[0].group, "admin");
  EXPECT_EQ((*rules)[0].mode, 0600u);
  EXPECT_EQ((*rules)[0].age, 26 * 3600);
  EXPECT_EQ((*rules)[1].group, "1001");
  EXPECT_FALSE((*rules)[1].mode);
  EXPECT_FALSE((*rules)[1].age);
}

TEST(OverlayManifest, RejectsBadLinesNamingThem) {
  for (const char* text : {"etc/relative root:root - -\n", "/etc/../shadow root:root - -\n",
                           "/etc//x root:root - -\n", "/etc/x root - -\n", "/etc/x root:root 0999 -\n",
                           "/etc/x root:root 17777 -\n", "/etc/x root:root - 3y\n", "/etc/x root:root -\n",
                           "/etc/x root:root - - extra\n", "/etc/x ro/ot:root - -\n",
                           "/etc/x root:root - -\n/etc/x root:root - -\n"}) {
    auto rules = parse_overlay_manifest(text);
    ASSERT_FALSE(rules) << text;
    EXPECT_NE(rules.error().message.find("line"), std::string::npos) << rules.error().message;
  }
}

TEST(Accounts, ParsesIdsAndResolvesNamesOrNumbers) {
  const auto ids = parse_account_ids(
      "root:x:0:0:root:/root:/bin/bash\nadmin:x:1000:1000::/home/admin:/bin/bash\nbroken line\n"
      "bad:x:notanumber:1\nadmin:x:4242:1::/:/bin/sh\n");
  EXPECT_EQ(ids.at("root"), 0u);
  EXPECT_EQ(ids.at("admin"), 1000u);  // the first entry of a name wins, as getpwnam finds it
  EXPECT_FALSE(ids.contains("bad"));
  EXPECT_EQ(resolve_account("admin", ids, "user").value(), 1000u);
  EXPECT_EQ(resolve_account("33", ids, "user").value(), 33u);
  auto missing = resolve_account("nobody-here", ids, "group");
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("/etc/group"), std::string::npos);
}

}  // namespace
}  // namespace hermes::sandbox
