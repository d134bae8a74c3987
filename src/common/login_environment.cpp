#include "common/login_environment.hpp"

#include <string_view>

namespace hermes {
namespace {

void set_var(std::vector<std::string>& env, std::string_view name, std::string_view value) {
  const std::string prefix = std::string(name) + "=";
  std::string entry = prefix + std::string(value);
  for (auto& existing : env) {
    if (existing.starts_with(prefix)) {
      existing = std::move(entry);
      return;
    }
  }
  env.push_back(std::move(entry));
}

}  // namespace

std::vector<std::string> build_login_environment(const SessionStart& start, const Account& account,
                                                 bool pty, const std::string& tty_path) {
  std::vector<std::string> env;
  for (const auto& [name, value] : start.env) {
    // decode_session_line already refuses such names; this function must not depend on it. Two
    // names like "PATH=/a" and "PATH=/b" would make two entries starting "PATH=", and the one
    // the override below leaves behind could be the one the shell uses.
    if (name.empty() || name.find_first_of(std::string_view("=\0", 2)) != std::string::npos)
      continue;
    set_var(env, name, value);
  }

  const std::string client_port = std::to_string(start.client_port);
  const std::string server_port = std::to_string(start.server_port);
  if (pty) set_var(env, "TERM", start.term.empty() ? "dumb" : start.term);
  set_var(env, "HOME", account.home);
  set_var(env, "USER", account.name);
  set_var(env, "LOGNAME", account.name);
  set_var(env, "SHELL", account.shell);
  set_var(env, "PATH", account.uid == 0 ? kSuperuserPath : kUserPath);
  set_var(env, "MAIL", "/var/mail/" + account.name);
  set_var(env, "SSH_CLIENT", start.client_ip + " " + client_port + " " + server_port);
  set_var(env, "SSH_CONNECTION",
          start.client_ip + " " + client_port + " " + start.server_ip + " " + server_port);
  if (pty && !tty_path.empty()) set_var(env, "SSH_TTY", tty_path);
  // Debian's pam_motd exports it for every session, command or shell.
  set_var(env, "MOTD_SHOWN", "pam");
  return env;
}

}  // namespace hermes
