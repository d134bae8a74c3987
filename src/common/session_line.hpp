#pragma once
// The one line Hermes writes to a pool container's waiting init (src/init/) to turn it into the
// attacker's login: who logged in, from where, terminal type and size, environment. Values are
// percent-encoded so any byte an attacker chose (user name, TERM, env) survives a text line.
// Shared by the hermes binary (encode) and the static hermes-init (decode): no dependencies.
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hermes {

struct SessionStart {
  std::string user = "root";
  std::string term = "xterm";
  int cols = 80;
  int rows = 24;
  std::string client_ip;
  int client_port = 0;
  std::string server_ip;
  int server_port = 0;
  std::vector<std::pair<std::string, std::string>> env;  // from the client's env requests
};

inline constexpr std::size_t kMaxSessionLine = 64 * 1024;

// "HERMES-SESSION/1 user=root term=xterm cols=80 ... env=LANG%3DC.UTF-8\n"
std::string encode_session_line(const SessionStart& start);
// Parses one line (with or without its '\n'); nullopt for anything malformed or over limits.
std::optional<SessionStart> decode_session_line(std::string_view line);

}  // namespace hermes
