#include "session/exec_command_line.hpp"

#include "init/winsize_launcher.hpp"

namespace hermes::session {

std::vector<std::string> exec_command_line(const std::string& shell, const std::string& command,
                                           std::optional<LaunchSize> size) {
  std::vector<std::string> argv;
  if (size) {
    // The attacker can read this argv in /proc only between exec create and the launcher's own
    // execv (microseconds); after it, `ps` shows the shell alone (docs/deception.md).
    argv = {kInitPath, std::string(init::kWinsizeFlag), std::to_string(size->rows), std::to_string(size->cols), "--"};
  }
  argv.push_back(shell);
  if (command.empty()) {
    argv.emplace_back("-l");
  } else {
    argv.emplace_back("-c");
    argv.push_back(command);
  }
  return argv;
}

}  // namespace hermes::session
