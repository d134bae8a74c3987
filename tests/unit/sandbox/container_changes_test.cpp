#include "sandbox/container_changes.hpp"

#include <gtest/gtest.h>

namespace hermes::sandbox {
namespace {

TEST(ContainerChanges, ParsesTheEnginesAnswer) {
  auto parsed = parse_container_changes(
      R"([{"Path":"/root","Kind":0},{"Path":"/root/x.sh","Kind":1},{"Path":"/etc/motd","Kind":2}])");
  ASSERT_TRUE(parsed);
  ASSERT_EQ(parsed->entries.size(), 3u);
  EXPECT_EQ(parsed->entries[1].path, "/root/x.sh");
  EXPECT_EQ(parsed->entries[1].kind, ChangeKind::added);
  EXPECT_EQ(parsed->entries[2].kind, ChangeKind::deleted);
  EXPECT_EQ(parsed->dropped, 0u);
}

TEST(ContainerChanges, NullMeansNothingChanged) {
  auto parsed = parse_container_changes("null");
  ASSERT_TRUE(parsed);
  EXPECT_TRUE(parsed->entries.empty());
}

TEST(ContainerChanges, DropsOddEntriesAndRejectsNonArrays) {
  EXPECT_FALSE(parse_container_changes("{}"));
  EXPECT_FALSE(parse_container_changes("[{\"Path\":"));
  const std::string long_path = "/" + std::string(kMaxChangePath, 'a');
  auto parsed = parse_container_changes(
      R"([{"Path":"relative","Kind":1},{"Path":"/a","Kind":7},{"Path":5,"Kind":1},"x",)"
      R"({"Path":"/nul\u0000","Kind":1},{"Path":")" + long_path + R"(","Kind":1},{"Path":"/ok","Kind":1}])");
  ASSERT_TRUE(parsed);
  ASSERT_EQ(parsed->entries.size(), 1u);
  EXPECT_EQ(parsed->entries[0].path, "/ok");
  EXPECT_EQ(parsed->dropped, 6u);
}

}  // namespace
}  // namespace hermes::sandbox
