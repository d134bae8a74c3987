// The exec launcher's arguments, parsed strictly, and the launcher itself on a real pty: the
// program it becomes reads the size it was given, and a terminal already sized keeps its size.
#include "init/winsize_launcher.hpp"

#include <pty.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <initializer_list>
#include <string>
#include <vector>

#include "common/unique_fd.hpp"

namespace hermes::init {
namespace {

WinsizeArgs parse(std::initializer_list<const char*> args) {
  std::vector<const char*> argv(args);
  argv.push_back(nullptr);
  return parse_winsize_args(static_cast<int>(args.size()), argv.data());
}

TEST(WinsizeArgs, ReadsRowsColumnsAndWhereTheProgramStarts) {
  const auto args = parse({"/sbin/init", "--winsize", "43", "132", "--", "/bin/sh", "-c", "stty size"});
  ASSERT_EQ(args.program, 5);
  EXPECT_EQ(args.rows, 43);
  EXPECT_EQ(args.cols, 132);
}

TEST(WinsizeArgs, AcceptsTheBounds) {
  const auto args = parse({"init", "--winsize", "1", "1000", "--", "/bin/sh"});
  EXPECT_EQ(args.rows, 1);
  EXPECT_EQ(args.cols, 1000);
}

TEST(WinsizeArgs, MalformedSizesAreDroppedButTheProgramStillRuns) {
  for (const char* bad : {"0", "1001", "-5", "+5", " 5", "5 ", "", "abc", "5x", "99999", "0x10", "4294967339"}) {
    const auto args = parse({"init", "--winsize", bad, bad, "--", "/bin/sh", "-l"});
    EXPECT_EQ(args.program, 5) << bad;
    EXPECT_FALSE(args.rows) << bad;
    EXPECT_FALSE(args.cols) << bad;
  }
}

TEST(WinsizeArgs, AnyOtherShapeHasNoProgram) {
  EXPECT_EQ(parse({"init", "--winsize", "24", "80", "--"}).program, 0);          // no program
  EXPECT_EQ(parse({"init", "--winsize", "24", "80", "/bin/sh", "-l"}).program, 0);  // no "--"
  EXPECT_EQ(parse({"init", "--winsize", "24", "--", "/bin/sh", "-l"}).program, 0);  // one number
  EXPECT_EQ(parse({"init", "--size", "24", "80", "--", "/bin/sh"}).program, 0);
  EXPECT_EQ(parse({"init"}).program, 0);
}

// Runs the launcher in a child whose stdin and stdout are the pty's slave; returns what the
// program wrote and its exit status.
struct Launched {
  std::string output;
  int status = -1;
};

Launched launch_on_pty(std::vector<std::string> args, const winsize& initial) {
  int master_fd = -1, slave_fd = -1;
  if (openpty(&master_fd, &slave_fd, nullptr, nullptr, &initial) != 0) return {};
  UniqueFd master(master_fd), slave(slave_fd);
  const pid_t child = fork();
  if (child < 0) return {};
  if (child == 0) {
    dup2(slave.get(), STDIN_FILENO);
    dup2(slave.get(), STDOUT_FILENO);
    dup2(slave.get(), STDERR_FILENO);
    std::vector<char*> argv;
    for (auto& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    run_winsize_launcher(static_cast<int>(args.size()), argv.data());
  }
  slave.reset();
  Launched out;
  char buffer[256];
  for (;;) {
    const ssize_t n = read(master.get(), buffer, sizeof buffer);
    if (n <= 0) break;  // EIO once the child has closed the slave
    out.output.append(buffer, static_cast<std::size_t>(n));
  }
  waitpid(child, &out.status, 0);
  return out;
}

TEST(WinsizeLauncher, TheProgramStartsWithTheGivenSize) {
  const auto run = launch_on_pty({"init", "--winsize", "43", "132", "--", "/bin/sh", "-c", "stty size"}, winsize{});
  EXPECT_EQ(run.output, "43 132\r\n");
  EXPECT_TRUE(WIFEXITED(run.status) && WEXITSTATUS(run.status) == 0);
}

TEST(WinsizeLauncher, ASizeAlreadySetByTheEngineIsNewerAndStays) {
  winsize engine_set{};
  engine_set.ws_row = 50;
  engine_set.ws_col = 200;
  const auto run = launch_on_pty({"init", "--winsize", "43", "132", "--", "/bin/sh", "-c", "stty size"}, engine_set);
  EXPECT_EQ(run.output, "50 200\r\n");
}

TEST(WinsizeLauncher, AMissingProgramFailsLikeAShell) {
  const auto run = launch_on_pty({"init", "--winsize", "24", "80", "--", "/nonexistent/sh", "-l"}, winsize{});
  EXPECT_NE(run.output.find("/nonexistent/sh: No such file or directory"), std::string::npos) << run.output;
  EXPECT_TRUE(WIFEXITED(run.status) && WEXITSTATUS(run.status) == 127);
}

}  // namespace
}  // namespace hermes::init
