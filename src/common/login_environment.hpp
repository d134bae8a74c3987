#pragma once
// The environment of every process an attacker's session starts, interactive login shell (built
// by hermes-init) or exec channel (built by Hermes for `docker exec`), as Debian 12's sshd + PAM
// give it. One function for both, so the two can never disagree. No dependencies: it is linked
// into the static hermes-init too.
#include <string>
#include <vector>

#include "common/account.hpp"
#include "common/session_line.hpp"

namespace hermes {

// The PATH sshd sets (Debian's build: --with-superuser-path / --with-default-path). A login
// shell's /etc/profile may change it afterwards, as on a real server.
inline constexpr const char* kSuperuserPath =
    "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
inline constexpr const char* kUserPath = "/usr/local/bin:/usr/bin:/bin:/usr/games";

// Client env entries first (start.env, in order, a later duplicate wins; a name that is empty or
// holds '=' or NUL is dropped), then what sshd and pam_motd set themselves, overriding anything
// the client sent: HOME USER LOGNAME SHELL PATH MAIL SSH_CLIENT SSH_CONNECTION MOTD_SHOWN, and
// with a pty TERM (start.term, "dumb" if empty) and SSH_TTY (tty_path, when known).
// Returns "NAME=VALUE" strings.
std::vector<std::string> build_login_environment(const SessionStart& start, const Account& account,
                                                 bool pty, const std::string& tty_path);

}  // namespace hermes
