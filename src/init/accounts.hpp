#pragma once
// Who the attacker logs in as. /etc/passwd is parsed here rather than with getpwnam(), which a
// static binary cannot use reliably (NSS), and because its content is the attacker's to change
// between sessions of a kept container: every read is bounded and every field checked.
#include <optional>
#include <string>
#include <string_view>

#include "common/account.hpp"

namespace hermes::init {

using hermes::Account;

Account root_account();
// POSIX-portable user names as useradd takes them: [a-z_][a-z0-9_-]{0,31}.
bool is_valid_user_name(std::string_view name);

// Pure helpers over the text of /etc/passwd and /etc/group.
std::optional<Account> find_account(std::string_view passwd_text, std::string_view name);
std::optional<unsigned> find_group_id(std::string_view group_text, std::string_view name);
// Smallest id >= 1000 used neither as a uid nor as a gid (so the user's group can share it).
std::optional<unsigned> next_free_id(std::string_view passwd_text, std::string_view group_text);

// Finds `user`, creating it (passwd, group, shadow, home) when missing and valid; any other case
// (invalid name, unreadable files, no free id) logs in as root, because a honeypot login must
// never fail once the SSH side said yes. "root" itself is never created: without a root entry
// it is the built-in root_account(). `system_root` prefixes every file touched (tests pass a
// temporary directory); the returned home and shell are paths as seen inside that root.
// Two inits of one container may resolve at once (the login shell's and an exec channel's
// `--account`): creation holds an flock on /etc/.pwd.lock, as shadow's lckpwdf does.
Account resolve_login_account(const std::string& user, const std::string& system_root = "");

}  // namespace hermes::init
