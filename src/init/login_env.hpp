#pragma once
// The environment the login shell starts with, as sshd + login would give it.
#include <string>
#include <vector>

#include "common/session_line.hpp"
#include "init/accounts.hpp"

namespace hermes::init {

// Client env entries first (in order, a later duplicate wins; a name that is empty or holds '='
// or NUL is dropped), then the variables sshd sets itself, which override anything the client
// sent. Returns "NAME=VALUE" strings.
std::vector<std::string> build_login_env(const SessionStart& start, const Account& account,
                                         const std::string& tty_path);

}  // namespace hermes::init
