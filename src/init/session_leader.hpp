#pragma once
// The processes a real Debian server shows above a login shell, as real processes:
//   /sbin/init
//    └─ sshd: /usr/sbin/sshd -D [listener] 0 of 10-100 startups   (waits for the session line)
//        └─ sshd: root@pts/0                                      (login records, banner)
//            └─ -bash
// Each level supervises the next (src/init/login_shell.hpp) and exits with its status, so the
// container still stops when the shell exits.
#include <string>

#include "common/session_line.hpp"

namespace hermes::init {

inline constexpr const char* kListenerTitle =
    "sshd: /usr/sbin/sshd -D [listener] 0 of 10-100 startups";

// The listener's life: wait for Hermes' session line on the TTY, resolve the user, fork the
// session process (below) and supervise it. Returns the container's exit code.
int run_listener();

// The "sshd: USER@pts/N" process: banner, login shell, utmp/wtmp/lastlog, supervision.
int run_session(const SessionStart& start);

}  // namespace hermes::init
