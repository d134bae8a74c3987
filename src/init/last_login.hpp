#pragma once
// The "Last login: <date> from <host>" that Debian's sshd prints, from /var/log/lastlog as sshd
// reads it (one fixed-size record per uid), and the record sshd writes for this login.
#include <sys/types.h>

#include <ctime>
#include <optional>
#include <string>
#include <string_view>

namespace hermes::init {

struct PreviousLogin {
  std::time_t when = 0;
  std::string host;  // empty: a local login, printed without " from"
};

// sshd's wording: "Last login: Sun Nov 22 10:12:01 2026 from 192.0.2.7\n" (ctime format, local
// time of the container; onlcr makes the TTY send "\r\n").
std::string format_last_login(const PreviousLogin& login);

// The login before this one: the user's lastlog record if it has one, else (so an image can
// seed a history with wtmp alone) the newest wtmp login of that user name. nullopt on a first
// login or when neither file exists. `system_root` prefixes the paths (tests).
std::optional<PreviousLogin> previous_login(uid_t uid, std::string_view user,
                                            const std::string& system_root = "");

// Writes this login into the user's lastlog record, as sshd does; only if the file exists.
void remember_login(uid_t uid, std::string_view tty_line, std::string_view host,
                    std::time_t when, const std::string& system_root = "");

}  // namespace hermes::init
