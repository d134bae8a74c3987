#include "common/session_line.hpp"

#include <gtest/gtest.h>

#include <string>

namespace hermes {
namespace {

SessionStart hostile_start() {
  SessionStart s;
  s.user = "al ice%20\n\xc3\xa9t\xc3\xa9";  // space, literal %20, newline, UTF-8
  s.term = "xterm-256color";
  s.cols = 10000;
  s.rows = 1;
  s.client_ip = "2001:db8::1";
  s.client_port = 65535;
  s.server_ip = "10.0.0.5";
  s.server_port = 0;
  s.env = {{"LANG", "C.UTF-8"},
           {"EVIL", "a b=c\r\n%ZZ \x01\xff"},
           {"_x9", ""},
           {"LANG", "dup is fine"}};
  return s;
}

void expect_same(const SessionStart& a, const SessionStart& b) {
  EXPECT_EQ(a.user, b.user);
  EXPECT_EQ(a.term, b.term);
  EXPECT_EQ(a.cols, b.cols);
  EXPECT_EQ(a.rows, b.rows);
  EXPECT_EQ(a.client_ip, b.client_ip);
  EXPECT_EQ(a.client_port, b.client_port);
  EXPECT_EQ(a.server_ip, b.server_ip);
  EXPECT_EQ(a.server_port, b.server_port);
  EXPECT_EQ(a.env, b.env);
}

// A valid line built by hand, so a test can change one token at a time.
std::string line_with(const std::string& replace_from = "", const std::string& replace_to = "") {
  std::string line =
      "HERMES-SESSION/1 user=root term=xterm cols=80 rows=24 client_ip=1.2.3.4 client_port=5555 "
      "server_ip=10.0.0.1 server_port=22";
  if (!replace_from.empty()) {
    const auto at = line.find(replace_from);
    EXPECT_NE(at, std::string::npos) << replace_from;
    line.replace(at, replace_from.size(), replace_to);
  }
  return line + "\n";
}

TEST(SessionLine, RoundTripsHostileBytes) {
  const SessionStart start = hostile_start();
  const std::string line = encode_session_line(start);
  ASSERT_EQ(line.back(), '\n');
  // Exactly one newline and no raw byte outside the wire alphabet: the line survives a TTY.
  EXPECT_EQ(line.find('\n'), line.size() - 1);
  EXPECT_EQ(line.find('\r'), std::string::npos);
  EXPECT_EQ(line.rfind("HERMES-SESSION/1 ", 0), 0u);
  auto decoded = decode_session_line(line);
  ASSERT_TRUE(decoded.has_value());
  expect_same(start, *decoded);
}

TEST(SessionLine, EncodesOnlyUnsafeBytes) {
  SessionStart s;
  s.user = "a b";
  s.env = {{"LANG", "C.UTF-8"}};
  const std::string line = encode_session_line(s);
  EXPECT_NE(line.find(" user=a%20b "), std::string::npos) << line;
  EXPECT_NE(line.find(" env=LANG%3DC.UTF-8\n"), std::string::npos) << line;
  EXPECT_NE(line.find(" cols=80 rows=24 "), std::string::npos) << line;
}

TEST(SessionLine, DecodesWithoutNewlineAndIgnoresUnknownKeys) {
  std::string line = line_with(" server_port=22", " server_port=22 future=x%41y");
  line.pop_back();
  auto decoded = decode_session_line(line);
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(decoded->client_ip, "1.2.3.4");
  EXPECT_EQ(decoded->client_port, 5555);
  EXPECT_EQ(decoded->server_port, 22);
}

TEST(SessionLine, AcceptsLowercaseHexEscapes) {
  auto decoded = decode_session_line(line_with("user=root", "user=a%2fb"));
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(decoded->user, "a/b");
}

TEST(SessionLine, RejectsMissingOrWrongMagic) {
  EXPECT_FALSE(decode_session_line(line_with("HERMES-SESSION/1 ", "")));
  EXPECT_FALSE(decode_session_line(line_with("HERMES-SESSION/1", "HERMES-SESSION/2")));
  EXPECT_FALSE(decode_session_line(""));
  EXPECT_FALSE(decode_session_line("\n"));
  EXPECT_FALSE(decode_session_line("HERMES-SESSION/1"));  // no fields at all
}

TEST(SessionLine, RejectsBadPercentEscapes) {
  EXPECT_FALSE(decode_session_line(line_with("user=root", "user=ro%")));
  EXPECT_FALSE(decode_session_line(line_with("user=root", "user=ro%4")));
  EXPECT_FALSE(decode_session_line(line_with("user=root", "user=ro%G1")));
  EXPECT_FALSE(decode_session_line(line_with("user=root", "user=r\xc3\xa9")));  // raw byte
  EXPECT_FALSE(decode_session_line(line_with("user=root", "user=a\tb")));
}

TEST(SessionLine, RejectsNulInAnyValue) {
  EXPECT_FALSE(decode_session_line(line_with("user=root", "user=ro%00ot")));
  EXPECT_FALSE(decode_session_line(line_with("term=xterm", "term=x%00")));
  EXPECT_FALSE(decode_session_line(line_with(" server_port=22", " server_port=22 env=A%3D%00")));
  EXPECT_FALSE(decode_session_line(line_with(" server_port=22", " server_port=22 other=%00")));
}

TEST(SessionLine, RejectsBadNumbers) {
  EXPECT_FALSE(decode_session_line(line_with("cols=80", "cols=0")));
  EXPECT_FALSE(decode_session_line(line_with("cols=80", "cols=10001")));
  EXPECT_FALSE(decode_session_line(line_with("rows=24", "rows=-5")));
  EXPECT_FALSE(decode_session_line(line_with("rows=24", "rows=2x")));
  EXPECT_FALSE(decode_session_line(line_with("rows=24", "rows=")));
  EXPECT_FALSE(decode_session_line(line_with("rows=24", "rows=99999999999999999999")));
  EXPECT_FALSE(decode_session_line(line_with("client_port=5555", "client_port=65536")));
  EXPECT_FALSE(decode_session_line(line_with("server_port=22", "server_port=+22")));
  EXPECT_TRUE(decode_session_line(line_with("client_port=5555", "client_port=0")));
  EXPECT_TRUE(decode_session_line(line_with("cols=80", "cols=10000")));
}

TEST(SessionLine, RejectsMissingDuplicateOrMalformedTokens) {
  EXPECT_FALSE(decode_session_line(line_with(" term=xterm", "")));
  EXPECT_FALSE(decode_session_line(line_with(" term=xterm", " term=xterm term=vt100")));
  EXPECT_FALSE(decode_session_line(line_with(" term=xterm", "  term=xterm")));  // empty token
  EXPECT_FALSE(decode_session_line(line_with(" term=xterm", " term=xterm junk")));
  EXPECT_FALSE(decode_session_line(line_with(" term=xterm", " term=xterm =x")));
  EXPECT_FALSE(decode_session_line(line_with("server_port=22", "server_port=22 ")));
}

TEST(SessionLine, RejectsBadEnvEntries) {
  auto with_env = [](const std::string& env) {
    return decode_session_line(line_with(" server_port=22", " server_port=22 env=" + env));
  };
  EXPECT_TRUE(with_env("A_1%3Dx"));
  EXPECT_FALSE(with_env("1A%3Dx"));       // starts with a digit
  EXPECT_FALSE(with_env("A-B%3Dx"));      // '-' not allowed in a name
  EXPECT_FALSE(with_env("%3Dx"));         // empty name
  EXPECT_FALSE(with_env("NOEQUALS"));     // no '='
  EXPECT_FALSE(with_env("A%20B%3Dx"));    // space in a name
}

TEST(SessionLine, RejectsMoreThan256EnvEntries) {
  std::string env;
  for (int i = 0; i < 256; ++i) env += " env=V" + std::to_string(i) + "%3D1";
  auto ok = decode_session_line(line_with(" server_port=22", " server_port=22" + env));
  ASSERT_TRUE(ok.has_value());
  EXPECT_EQ(ok->env.size(), 256u);
  EXPECT_FALSE(
      decode_session_line(line_with(" server_port=22", " server_port=22" + env + " env=X%3D1")));
}

TEST(SessionLine, RejectsLinesOverTheLimit) {
  std::string filler(kMaxSessionLine, 'a');
  EXPECT_FALSE(decode_session_line(line_with(" server_port=22", " server_port=22 pad=" + filler)));
  // Exactly at the limit (newline included) is still accepted.
  std::string base = line_with(" server_port=22", " server_port=22 pad=");
  base.pop_back();
  std::string at_limit = base + std::string(kMaxSessionLine - base.size() - 1, 'a') + "\n";
  ASSERT_EQ(at_limit.size(), kMaxSessionLine);
  EXPECT_TRUE(decode_session_line(at_limit));
  EXPECT_FALSE(decode_session_line(at_limit.substr(0, at_limit.size() - 1) + "a\n"));
}

TEST(SessionLine, EncoderAlwaysProducesADecodableLine) {
  SessionStart s;
  s.cols = 0;              // SSH allows 0 in pty-req; init must still get a usable size
  s.rows = 50000;
  s.client_port = -1;
  s.user = std::string("ro\0ot", 5);
  s.term = std::string(5000, 'x');
  for (int i = 0; i < 400; ++i) s.env.emplace_back("V" + std::to_string(i), "1");
  s.env.emplace_back("bad name", "x");
  s.env.emplace_back("NUL", std::string("a\0b", 3));
  s.env.emplace_back("BIG", std::string(2 * kMaxSessionLine, '%'));

  const std::string line = encode_session_line(s);
  EXPECT_LE(line.size(), kMaxSessionLine);
  auto decoded = decode_session_line(line);
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(decoded->cols, 1);
  EXPECT_EQ(decoded->rows, 10000);
  EXPECT_EQ(decoded->client_port, 0);
  EXPECT_EQ(decoded->user, "root");
  EXPECT_EQ(decoded->term, std::string(1024, 'x'));
  ASSERT_EQ(decoded->env.size(), 256u);
  EXPECT_EQ(decoded->env.front().first, "V0");
  EXPECT_EQ(decoded->env.back().first, "V255");
}

TEST(SessionLine, EncoderSkipsAnEnvEntryThatDoesNotFitButKeepsLaterOnes) {
  SessionStart s;
  s.env.emplace_back("BIG", std::string(kMaxSessionLine, 'a'));
  s.env.emplace_back("SMALL", "1");
  auto decoded = decode_session_line(encode_session_line(s));
  ASSERT_TRUE(decoded.has_value());
  ASSERT_EQ(decoded->env.size(), 1u);
  EXPECT_EQ(decoded->env[0].first, "SMALL");
}

}  // namespace
}  // namespace hermes
