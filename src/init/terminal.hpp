#pragma once
// The container's TTY as init sees it: silent raw mode while waiting for Hermes' session line,
// then the cooked settings a fresh sshd pty has, so the shell behaves as on a real server.
#include "common/session_line.hpp"

namespace hermes::init {

// No echo, no line editing, no signals from keys: the session line must never be shown back to
// the attacker, and bytes typed right after it must stay queued for the shell.
bool enter_raw_mode(int fd);
// The modes `stty -a` shows on a Debian sshd pty (icanon echo isig icrnl onlcr iutf8, ^C ^? ...).
bool enter_login_mode(int fd);
bool set_window_size(int fd, int cols, int rows);

// Blocks until a line decodes. Oversized or malformed lines are dropped; EOF and errors (nobody
// attached yet, or an attach that went away) are waited out, never fatal: a pool container must
// stay up until a session claims it.
SessionStart wait_for_session(int fd);

}  // namespace hermes::init
