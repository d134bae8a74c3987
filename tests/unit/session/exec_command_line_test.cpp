// An exec's Cmd: the shell as sshd runs it, behind the size launcher when a size is given.
#include "session/exec_command_line.hpp"

#include <gtest/gtest.h>

namespace hermes::session {
namespace {

using Argv = std::vector<std::string>;

TEST(ExecCommandLine, WithoutASizeIsTheShellAlone) {
  EXPECT_EQ(exec_command_line("/bin/bash", "stty size", std::nullopt), (Argv{"/bin/bash", "-c", "stty size"}));
  EXPECT_EQ(exec_command_line("/bin/sh", "", std::nullopt), (Argv{"/bin/sh", "-l"}));
}

TEST(ExecCommandLine, WithASizeTheLauncherGoesFirstRowsBeforeColumns) {
  EXPECT_EQ(exec_command_line("/bin/bash", "stty size", LaunchSize{43, 132}),
            (Argv{"/sbin/init", "--winsize", "43", "132", "--", "/bin/bash", "-c", "stty size"}));
  EXPECT_EQ(exec_command_line("/bin/sh", "", LaunchSize{24, 80}),
            (Argv{"/sbin/init", "--winsize", "24", "80", "--", "/bin/sh", "-l"}));
}

TEST(ExecCommandLine, TheCommandStaysOneArgumentWhateverItHolds) {
  const std::string command = "-- --winsize 1 1 -- ; echo $(id) \"x\"\n";
  const Argv argv = exec_command_line("/bin/sh", command, LaunchSize{24, 80});
  ASSERT_EQ(argv.size(), 8u);
  EXPECT_EQ(argv.back(), command);
}

}  // namespace
}  // namespace hermes::session
