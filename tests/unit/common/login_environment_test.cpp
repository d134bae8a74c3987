// build_login_environment: what the login shell and exec'd commands see, and that nothing the
// client sends can replace what sshd itself would set.
#include "common/login_environment.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

namespace hermes {
namespace {

SessionStart start_from(const std::string& ip, int client_port, const std::string& server_ip,
                        int server_port) {
  SessionStart start;
  start.client_ip = ip;
  start.client_port = client_port;
  start.server_ip = server_ip;
  start.server_port = server_port;
  return start;
}

Account root_account() { return Account{"root", 0, 0, "/root", "/bin/bash"}; }
Account user_account() { return Account{"alice", 1000, 1000, "/home/alice", "/bin/bash"}; }

// Every entry "NAME=..." for one name: tests check both the value and that there is exactly one.
std::vector<std::string> values_of(const std::vector<std::string>& env, const std::string& name) {
  std::vector<std::string> values;
  for (const auto& entry : env) {
    if (entry.starts_with(name + "=")) values.push_back(entry.substr(name.size() + 1));
  }
  return values;
}

std::optional<std::string> value_of(const std::vector<std::string>& env, const std::string& name) {
  const auto values = values_of(env, name);
  EXPECT_LE(values.size(), 1u) << name << " set more than once";
  if (values.empty()) return std::nullopt;
  return values.front();
}

TEST(BuildLoginEnvironment, RootGetsTheSuperuserPathUsersDoNot) {
  const SessionStart start = start_from("1.2.3.4", 5555, "10.0.0.1", 22);
  const auto root_env = build_login_environment(start, root_account(), true, "/dev/pts/0");
  EXPECT_EQ(value_of(root_env, "PATH"),
            "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
  const auto user_env = build_login_environment(start, user_account(), true, "/dev/pts/0");
  EXPECT_EQ(value_of(user_env, "PATH"), "/usr/local/bin:/usr/bin:/bin:/usr/games");
}

// user_account()'s values, each set exactly once.
void expect_alice(const std::vector<std::string>& env) {
  EXPECT_EQ(value_of(env, "HOME"), "/home/alice");
  EXPECT_EQ(value_of(env, "USER"), "alice");
  EXPECT_EQ(value_of(env, "LOGNAME"), "alice");
  EXPECT_EQ(value_of(env, "SHELL"), "/bin/bash");
  EXPECT_EQ(value_of(env, "MAIL"), "/var/mail/alice");
}

TEST(BuildLoginEnvironment, AccountVariablesComeFromTheAccount) {
  const auto env = build_login_environment(start_from("1.2.3.4", 5555, "10.0.0.1", 22), user_account(), true, "/dev/pts/3");
  expect_alice(env);
  EXPECT_EQ(value_of(env, "SSH_TTY"), "/dev/pts/3");
}

TEST(BuildLoginEnvironment, SshClientAndConnectionHaveOpensshsFormat) {
  const auto v4 = build_login_environment(start_from("203.0.113.9", 51234, "10.0.0.5", 2222),
                                  root_account(), true, "");
  EXPECT_EQ(value_of(v4, "SSH_CLIENT"), "203.0.113.9 51234 2222");
  EXPECT_EQ(value_of(v4, "SSH_CONNECTION"), "203.0.113.9 51234 10.0.0.5 2222");

  const auto v6 = build_login_environment(start_from("2001:db8::1", 1, "::1", 22), root_account(), true, "");
  EXPECT_EQ(value_of(v6, "SSH_CLIENT"), "2001:db8::1 1 22");
  EXPECT_EQ(value_of(v6, "SSH_CONNECTION"), "2001:db8::1 1 ::1 22");
}

TEST(BuildLoginEnvironment, TermFallsBackToDumb) {
  SessionStart start = start_from("1.2.3.4", 1, "5.6.7.8", 22);
  start.term = "xterm-256color";
  EXPECT_EQ(value_of(build_login_environment(start, root_account(), true, ""), "TERM"), "xterm-256color");
  start.term = "";
  EXPECT_EQ(value_of(build_login_environment(start, root_account(), true, ""), "TERM"), "dumb");
}

TEST(BuildLoginEnvironment, NoTtyMeansNoSshTty) {
  const auto env = build_login_environment(start_from("1.2.3.4", 1, "5.6.7.8", 22), root_account(), true, "");
  EXPECT_EQ(value_of(env, "SSH_TTY"), std::nullopt);
}

TEST(BuildLoginEnvironment, ClientCannotOverrideWhatSshdSets) {
  SessionStart start = start_from("1.2.3.4", 5555, "10.0.0.1", 22);
  start.term = "vt100";
  for (const char* name : {"HOME", "USER", "LOGNAME", "SHELL", "PATH", "MAIL", "TERM",
                           "SSH_CLIENT", "SSH_CONNECTION", "SSH_TTY"}) {
    start.env.emplace_back(name, "/tmp/evil");
  }
  const auto env = build_login_environment(start, user_account(), true, "/dev/pts/1");
  expect_alice(env);
  EXPECT_EQ(value_of(env, "PATH"), "/usr/local/bin:/usr/bin:/bin:/usr/games");
  EXPECT_EQ(value_of(env, "TERM"), "vt100");
  EXPECT_EQ(value_of(env, "SSH_CLIENT"), "1.2.3.4 5555 22");
  EXPECT_EQ(value_of(env, "SSH_CONNECTION"), "1.2.3.4 5555 10.0.0.1 22");
  EXPECT_EQ(value_of(env, "SSH_TTY"), "/dev/pts/1");
  for (const auto& entry : env) EXPECT_EQ(entry.find("/tmp/evil"), std::string::npos) << entry;
}

TEST(BuildLoginEnvironment, ClientVariablesAreKeptInOrderAndALaterDuplicateWins) {
  SessionStart start = start_from("1.2.3.4", 1, "5.6.7.8", 22);
  start.env = {{"LANG", "C"}, {"LC_ALL", "C.UTF-8"}, {"LANG", "en_US.UTF-8"}};
  const auto env = build_login_environment(start, root_account(), true, "");
  ASSERT_GE(env.size(), 2u);
  EXPECT_EQ(env[0], "LANG=en_US.UTF-8");  // replaced where it first appeared
  EXPECT_EQ(env[1], "LC_ALL=C.UTF-8");
  EXPECT_EQ(values_of(env, "LANG").size(), 1u);
}

TEST(BuildLoginEnvironment, HostileValuesAreCarriedVerbatimAndContained) {
  SessionStart start = start_from("1.2.3.4", 1, "5.6.7.8", 22);
  const std::string huge(1 << 20, 'x');
  start.env = {{"A", "b=c=d"},
               {"NL", "line1\nPATH=/evil"},
               {"BIN", std::string("\x01\xff\x7f", 3)},
               {"HUGE", huge},
               {"EMPTY", ""}};
  const auto env = build_login_environment(start, root_account(), true, "");
  EXPECT_EQ(value_of(env, "A"), "b=c=d");
  EXPECT_EQ(value_of(env, "NL"), "line1\nPATH=/evil");
  EXPECT_EQ(value_of(env, "BIN"), std::string("\x01\xff\x7f", 3));
  EXPECT_EQ(value_of(env, "HUGE"), huge);
  EXPECT_EQ(value_of(env, "EMPTY"), "");
  EXPECT_EQ(value_of(env, "PATH"), "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
}

// decode_session_line never lets a name contain '=', but build_login_env must not rely on it.
// Regression: two names "PATH=/a" and "PATH=/b" made two entries starting "PATH=", and the
// override replaced only the first, leaving the shell a PATH of the client's choosing.
TEST(BuildLoginEnvironment, NamesThatAreNotVariableNamesAreDropped) {
  SessionStart start = start_from("1.2.3.4", 1, "5.6.7.8", 22);
  start.env = {{"PATH=/evil:", "x"},
               {"PATH=/worse:", "y"},
               {"HOME=/tmp", ""},
               {"", "nameless"},
               {std::string("LANG\0X", 6), "nul"},
               {"LANG", "C"}};
  const auto env = build_login_environment(start, user_account(), true, "");
  EXPECT_EQ(values_of(env, "PATH"), std::vector<std::string>{"/usr/local/bin:/usr/bin:/bin:/usr/games"});
  EXPECT_EQ(values_of(env, "HOME"), std::vector<std::string>{"/home/alice"});
  EXPECT_EQ(values_of(env, "LANG"), std::vector<std::string>{"C"});
  for (const auto& entry : env) {
    EXPECT_FALSE(entry.starts_with("=")) << entry;
    EXPECT_EQ(entry.find('\0'), std::string::npos) << entry;
  }
}

}  // namespace
}  // namespace hermes

namespace hermes {
namespace {

TEST(BuildLoginEnvironment, WithoutAPtyThereIsNoTermAndNoSshTty) {
  SessionStart start;
  start.term = "xterm";
  const auto env = build_login_environment(start, root_account(), false, "/dev/pts/0");
  for (const auto& entry : env) {
    EXPECT_FALSE(entry.starts_with("TERM=")) << entry;
    EXPECT_FALSE(entry.starts_with("SSH_TTY=")) << entry;
  }
}

TEST(BuildLoginEnvironment, PamMotdMarksEverySession) {
  SessionStart start;
  for (bool pty : {true, false}) {
    const auto env = build_login_environment(start, root_account(), pty, "");
    EXPECT_NE(std::find(env.begin(), env.end(), "MOTD_SHOWN=pam"), env.end());
  }
}

}  // namespace
}  // namespace hermes
