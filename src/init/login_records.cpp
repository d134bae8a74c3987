#include "init/login_records.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/time.h>
#include <unistd.h>
#include <utmp.h>

#include <algorithm>
#include <charconv>
#include <cstring>
#include <optional>

#include "init/accounts.hpp"
#include "init/bounded_file.hpp"

namespace hermes::init {
namespace {

constexpr const char* kUtmpPath = "/var/run/utmp";
constexpr const char* kRunUtmpPath = "/run/utmp";
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

std::optional<long long> kernel_boot_time() {
  const auto stat = read_bounded("/proc/stat", 1 << 20);
  if (!stat) return std::nullopt;
  const auto pos = stat->find("\nbtime ");
  if (pos == std::string::npos) return std::nullopt;
  const char* begin = stat->data() + pos + 7;
  long long value = 0;
  const auto [end, error] = std::from_chars(begin, stat->data() + stat->size(), value);
  if (error != std::errc() || end == begin || value <= 0) return std::nullopt;
  return value;
}

void create_utmp_file() {
  const UniqueFd fd(open(kRunUtmpPath, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK, 0664));
  if (!fd.is_open()) return;
  fchmod(fd.get(), 0664);  // O_CREAT's mode went through PID 1's umask
  const auto group = read_bounded("/etc/group", 4 * 1024 * 1024);
  const auto utmp_gid = group ? find_group_id(*group, "utmp") : std::nullopt;
  if (utmp_gid && fchown(fd.get(), 0, *utmp_gid) != 0) {
    // Without CAP_CHOWN it stays root:root 0664, which every user can still read.
  }
}

}  // namespace

void set_login_uid(unsigned uid) {
  const UniqueFd fd(open("/proc/self/loginuid", O_WRONLY | O_CLOEXEC));
  if (!fd.is_open()) return;
  const std::string text = std::to_string(uid);
  if (write(fd.get(), text.data(), text.size()) != static_cast<ssize_t>(text.size())) {
    // Already set by whoever started the engine: `last` may then say "gone - no logout".
  }
}

void record_boot() {
  create_utmp_file();
  const auto boot = kernel_boot_time();
  if (!boot) return;
  utmp entry{};
  entry.ut_type = BOOT_TIME;
  copy_field(entry.ut_line, std::string("~"));
  copy_field(entry.ut_id, std::string("~~"));
  copy_field(entry.ut_user, std::string("reboot"));
  utsname names{};
  if (uname(&names) == 0) copy_field(entry.ut_host, std::string(names.release));
  entry.ut_tv.tv_sec = static_cast<int32_t>(*boot);
  write_entry(entry);
}

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
