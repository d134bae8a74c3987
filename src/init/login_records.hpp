#pragma once
// utmp/wtmp entries so `w`, `who` and `last` inside the container show the session like a real
// sshd login. Best effort: images without the files simply get no records.
#include <sys/types.h>

#include <string>

namespace hermes::init {

void record_login(pid_t shell_pid, const std::string& tty_path, const std::string& user,
                  const std::string& client_ip);
void record_logout(pid_t shell_pid, const std::string& tty_path);

}  // namespace hermes::init
