#pragma once
// Renaming a process as `ps` shows it, the way sshd names its processes ("sshd: root@pts/0"):
// the kernel reads /proc/PID/cmdline from the memory that held argv (and, once argv's last NUL
// is overwritten, on into the environment strings after it), and `ps -e`'s short name is comm.
#include <string_view>

namespace hermes::init {

// Call once, in main, before anything keeps pointers into environ: copies the environment
// elsewhere so the argv/environ area can be reused for titles.
void prepare_process_title(int argc, char** argv);
// Replaces the command line shown for this process with `title` (cut to the space available,
// which for PID 1 started as /sbin/init with Docker's environment is well over 100 bytes) and
// comm with its first word (at most 15 bytes).
void set_process_title(std::string_view title);

}  // namespace hermes::init
