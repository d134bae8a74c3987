#include "init/login_records.hpp"

#include <arpa/inet.h>
#include <sys/time.h>
#include <unistd.h>
#include <utmp.h>

#include <algorithm>
#include <cstring>

namespace hermes::init {
namespace {

constexpr const char* kUtmpPath = "/var/run/utmp";
constexpr const char* kWtmpPath = "/var/log/wtmp";

// Copies into a fixed-size, not necessarily NUL-terminated utmp field.
template <std::size_t N>
void copy_field(char (&field)[N], const std::string& value) {
  std::memset(field, 0, N);
  std::memcpy(field, value.data(), std::min(N, value.size()));
}

utmp make_entry(short type, pid_t pid, const std::string& tty_path) {
  utmp entry{};
  entry.ut_type = type;
  entry.ut_pid = pid;
  const std::string line = tty_path.starts_with("/dev/") ? tty_path.substr(5) : tty_path;
  copy_field(entry.ut_line, line);
  // sshd uses the tail of the line as the id ("ts/0" for pts/0).
  copy_field(entry.ut_id, line.size() > 4 ? line.substr(line.size() - 4) : line);
  timeval now{};
  gettimeofday(&now, nullptr);
  entry.ut_tv.tv_sec = static_cast<int32_t>(now.tv_sec);
  entry.ut_tv.tv_usec = static_cast<int32_t>(now.tv_usec);
  return entry;
}

void write_entry(const utmp& entry) {
  if (access(kUtmpPath, W_OK) == 0) {
    utmpname(kUtmpPath);
    setutent();
    pututline(&entry);
    endutent();
  }
  if (access(kWtmpPath, W_OK) == 0) updwtmp(kWtmpPath, &entry);
}

}  // namespace

void record_login(pid_t shell_pid, const std::string& tty_path, const std::string& user,
                  const std::string& client_ip) {
  utmp entry = make_entry(USER_PROCESS, shell_pid, tty_path);
  copy_field(entry.ut_user, user);
  copy_field(entry.ut_host, client_ip);
  in6_addr v6{};
  in_addr v4{};
  if (inet_pton(AF_INET, client_ip.c_str(), &v4) == 1) {
    std::memcpy(entry.ut_addr_v6, &v4, sizeof v4);
  } else if (inet_pton(AF_INET6, client_ip.c_str(), &v6) == 1) {
    std::memcpy(entry.ut_addr_v6, &v6, sizeof v6);
  }
  write_entry(entry);
}

void record_logout(pid_t shell_pid, const std::string& tty_path) {
  write_entry(make_entry(DEAD_PROCESS, shell_pid, tty_path));
}

}  // namespace hermes::init
