#include "init/last_login.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utmp.h>

#include <algorithm>
#include <cstring>
#include <vector>

#include "init/bounded_file.hpp"

namespace hermes::init {
namespace {

constexpr const char* kLastlogPath = "/var/log/lastlog";
constexpr const char* kWtmpPath = "/var/log/wtmp";
// A long history is fine; only its tail is read, so a huge (attacker-grown) wtmp costs nothing.
constexpr off_t kWtmpTailBytes = 1024 * static_cast<off_t>(sizeof(utmp));

template <std::size_t N>
std::string field_text(const char (&field)[N]) {
  return std::string(field, strnlen(field, N));
}

template <std::size_t N>
void copy_field(char (&field)[N], std::string_view value) {
  std::memset(field, 0, N);
  std::memcpy(field, value.data(), std::min(N, value.size()));
}

int open_regular(const std::string& path, int flags) {
  const int fd = open(path.c_str(), flags | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
  if (fd < 0) return -1;
  struct stat info {};
  if (fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
    close(fd);
    return -1;
  }
  return fd;
}

std::optional<PreviousLogin> from_lastlog(uid_t uid, const std::string& root) {
  const UniqueFd fd(open_regular(root + kLastlogPath, O_RDONLY));
  if (!fd.is_open()) return std::nullopt;
  lastlog record{};
  const off_t offset = static_cast<off_t>(uid) * static_cast<off_t>(sizeof record);
  if (pread(fd.get(), &record, sizeof record, offset) != static_cast<ssize_t>(sizeof record))
    return std::nullopt;
  if (record.ll_time <= 0) return std::nullopt;
  return PreviousLogin{static_cast<std::time_t>(record.ll_time), field_text(record.ll_host)};
}

std::optional<PreviousLogin> from_wtmp(std::string_view user, const std::string& root) {
  const UniqueFd fd(open_regular(root + kWtmpPath, O_RDONLY));
  if (!fd.is_open()) return std::nullopt;
  struct stat info {};
  if (fstat(fd.get(), &info) != 0) return std::nullopt;
  const off_t whole = info.st_size - info.st_size % static_cast<off_t>(sizeof(utmp));
  const off_t start = std::max<off_t>(0, whole - kWtmpTailBytes);
  std::vector<utmp> records(static_cast<std::size_t>((whole - start) / sizeof(utmp)));
  const std::size_t bytes = records.size() * sizeof(utmp);
  if (bytes == 0 || pread(fd.get(), records.data(), bytes, start) != static_cast<ssize_t>(bytes))
    return std::nullopt;
  for (auto it = records.rbegin(); it != records.rend(); ++it) {
    if (it->ut_type != USER_PROCESS || field_text(it->ut_user) != user) continue;
    if (it->ut_tv.tv_sec <= 0) continue;
    return PreviousLogin{static_cast<std::time_t>(it->ut_tv.tv_sec), field_text(it->ut_host)};
  }
  return std::nullopt;
}

}  // namespace

std::string format_last_login(const PreviousLogin& login) {
  std::tm local{};
  const std::time_t when = login.when;
  localtime_r(&when, &local);
  char date[64] = {};
  std::strftime(date, sizeof date, "%a %b %e %H:%M:%S %Y", &local);  // ctime(3) without "\n"
  std::string line = std::string("Last login: ") + date;
  if (!login.host.empty()) line += " from " + login.host;
  return line + "\n";
}

std::optional<PreviousLogin> previous_login(uid_t uid, std::string_view user,
                                            const std::string& system_root) {
  if (auto found = from_lastlog(uid, system_root)) return found;
  return from_wtmp(user, system_root);
}

void remember_login(uid_t uid, std::string_view tty_line, std::string_view host, std::time_t when,
                    const std::string& system_root) {
  const UniqueFd fd(open_regular(system_root + kLastlogPath, O_WRONLY));
  if (!fd.is_open()) return;
  lastlog record{};
  record.ll_time = static_cast<decltype(record.ll_time)>(when);
  copy_field(record.ll_line, tty_line);
  copy_field(record.ll_host, host);
  const off_t offset = static_cast<off_t>(uid) * static_cast<off_t>(sizeof record);
  if (pwrite(fd.get(), &record, sizeof record, offset) != static_cast<ssize_t>(sizeof record)) {
    // Best effort, as in sshd: a full disk only costs the next login its "Last login" line.
  }
}

}  // namespace hermes::init
