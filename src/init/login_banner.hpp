#pragma once
// What an interactive login prints before the prompt on Debian 12: pam_motd's dynamic part
// (/etc/update-motd.d/10-uname runs `uname -snrvm`), /etc/motd, then sshd's "Last login" line;
// nothing at all when the user has ~/.hushlogin.
#include <sys/utsname.h>

#include <optional>
#include <string>

#include "common/account.hpp"
#include "init/last_login.hpp"

namespace hermes::init {

// `uname -snrvm` with its newline.
std::string uname_line(const utsname& names);

struct BannerParts {
  bool hushed = false;                    // ~/.hushlogin exists
  std::optional<std::string> uname;       // only when the image has update-motd.d/10-uname
  std::optional<std::string> motd;        // /etc/motd's content
  std::optional<PreviousLogin> previous;  // none on a first login
};
// The bytes for the terminal, '\n' line ends (the TTY's onlcr adds the '\r').
std::string compose_banner(const BannerParts& parts);

// Gathers the parts from the container's files for `account` (bounded reads, no symlinks
// followed) and the running kernel. `system_root` prefixes the paths (tests).
BannerParts gather_banner(const Account& account, const std::string& system_root = "");

}  // namespace hermes::init
