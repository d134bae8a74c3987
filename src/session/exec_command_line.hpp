#pragma once
// The Cmd of an exec channel, as sshd runs it: the user's shell with `-c COMMAND`, or `-l` for a
// shell without a command. With a terminal size, the shell is started through hermes-init's
// launcher (init/winsize_launcher.hpp), which sizes the pty first and then becomes the shell:
// the way a pty command starts at the client's size when exec create cannot carry ConsoleSize.
#include <optional>
#include <string>
#include <vector>

#include "common/init_path.hpp"

namespace hermes::session {

struct LaunchSize {
  int rows = 0;
  int cols = 0;
};

std::vector<std::string> exec_command_line(const std::string& shell, const std::string& command,
                                           std::optional<LaunchSize> size);

}  // namespace hermes::session
