#include "sandbox/build_command.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace hermes::sandbox {
namespace {

TEST(BuildCommand, HandsOnLinesOfStdoutAndStderr) {
  std::vector<std::string> lines;
  BuildCommand command;
  command.argv = {"sh", "-c", "echo one; echo two >&2; printf 'three\\r\\nfour'; echo \"$EXTRA\""};
  command.extra_env = {"EXTRA=five"};
  command.on_line = [&](std::string_view line) { lines.emplace_back(line); };
  ASSERT_TRUE(run_build_command(command));
  EXPECT_EQ(lines, (std::vector<std::string>{"one", "two", "three", "fourfive"}));
}

TEST(BuildCommand, FailureQuotesTheLastLines) {
  BuildCommand command;
  command.argv = {"sh", "-c", "echo E: Unable to locate package nosuch; exit 100"};
  auto ran = run_build_command(command);
  ASSERT_FALSE(ran);
  EXPECT_NE(ran.error().message.find("status 100"), std::string::npos) << ran.error().message;
  EXPECT_NE(ran.error().message.find("Unable to locate package nosuch"), std::string::npos);
}

TEST(BuildCommand, LongLinesAreCut) {
  std::size_t longest = 0;
  BuildCommand command;
  command.argv = {"sh", "-c", "head -c 100000 /dev/zero | tr '\\0' x; echo"};
  command.on_line = [&](std::string_view line) { longest = std::max(longest, line.size()); };
  ASSERT_TRUE(run_build_command(command));
  EXPECT_EQ(longest, 4096u);
}

TEST(BuildCommand, TimeoutKillsTheWholeProcessGroup) {
  BuildCommand command;
  // The grandchild keeps the pipe open: only killing the group ends the wait.
  command.argv = {"sh", "-c", "sleep 30 & sleep 30"};
  command.timeout = std::chrono::seconds(1);
  const auto started = std::chrono::steady_clock::now();
  auto ran = run_build_command(command);
  ASSERT_FALSE(ran);
  EXPECT_NE(ran.error().message.find("timed out"), std::string::npos) << ran.error().message;
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(20));
}

TEST(BuildCommand, MissingProgramIsAnError) {
  BuildCommand command;
  command.argv = {"/nonexistent/program"};
  EXPECT_FALSE(run_build_command(command));
}

}  // namespace
}  // namespace hermes::sandbox
