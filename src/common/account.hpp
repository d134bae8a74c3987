#pragma once
// A login account as /etc/passwd describes it, and the one-line form in which hermes-init tells
// Hermes which account an exec channel must run as (`/sbin/init --account NAME`, see
// docs/architecture.md). Shared by the hermes binary and the static hermes-init: no dependencies.
#include <optional>
#include <string>
#include <string_view>

namespace hermes {

struct Account {
  std::string name;
  unsigned uid = 0;
  unsigned gid = 0;
  std::string home;
  std::string shell;
};

// "HERMES-ACCOUNT/2 name:uid:gid:home:shell:cwd\n". Fields come from /etc/passwd lines split on
// ':' and '\n', so they cannot hold either; the formatter refuses (nullopt) if one does anyway.
// `cwd` is where a process of this account starts: its home if that is a directory, else "/"
// (sshd says "Could not chdir to home directory" and starts in / as well).
// The number after the slash is what the answering hermes-init can do, so that Hermes never asks
// an image built by an older release for what its init does not know: 1 answers --account only,
// 2 also has the --winsize launcher (init/winsize_launcher.hpp).
inline constexpr unsigned kAccountProtocol = 2;
struct AccountLine {
  Account account;
  std::string cwd;
  unsigned init_protocol = kAccountProtocol;
};
std::optional<std::string> format_account_line(const AccountLine& line);
// Parses the output of `--account` (one line, '\n' optional); nullopt if it is anything else.
std::optional<AccountLine> parse_account_line(std::string_view text);

}  // namespace hermes
