#pragma once
// utmp/wtmp entries so `w`, `who` and `last` inside the container show the session like a real
// sshd login. Best effort: images without the files simply get no records.
#include <sys/types.h>

#include <string>

namespace hermes::init {

void record_login(pid_t shell_pid, const std::string& tty_path, const std::string& user,
                  const std::string& client_ip);
void record_logout(pid_t shell_pid, const std::string& tty_path);

// What pam_loginuid does for sshd: sets the audit login uid of this process (inherited by the
// shell). `last` calls a login whose process has another loginuid "gone - no logout". The
// kernel allows it without privilege only while the loginuid is still unset; best effort.
void set_login_uid(unsigned uid);

// What a booting Debian writes before anyone logs in: /run/utmp created (systemd-tmpfiles, mode
// 0664 group utmp) and a BOOT_TIME record ("system boot" in `who -b` and `last`) in utmp and
// wtmp, dated at the kernel's boot time (`btime` of /proc/stat: the host's, as `uptime` is).
void record_boot();

}  // namespace hermes::init
