#include "init/accounts.hpp"

#include "init/bounded_file.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <ctime>
#include <set>
#include <vector>

namespace hermes::init {
namespace {

constexpr std::size_t kMaxAccountFile = 4 * 1024 * 1024;
constexpr std::size_t kMaxAccountLine = 4096;
constexpr unsigned kFirstUserId = 1000;
constexpr unsigned kLastUserId = 59999;  // Debian's FIRST_UID..LAST_UID

std::optional<std::string> read_account_file(const std::string& path) {
  return read_bounded(path, kMaxAccountFile);
}

bool append_line(const std::string& path, const std::string& existing, const std::string& line) {
  const UniqueFd fd(open(path.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK));
  if (!fd.is_open()) return false;
  std::string data = (!existing.empty() && existing.back() != '\n') ? "\n" + line : line;
  return write(fd.get(), data.data(), data.size()) == static_cast<ssize_t>(data.size());
}

// The new user must own its home, but a home that is already a symlink (planted by an earlier
// session of a kept container) must not hand the user whatever it points to: O_NOFOLLOW + fchown
// instead of chown, which would follow it.
void give_home_to(const std::string& path, unsigned uid, unsigned gid) {
  const UniqueFd fd(open(path.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (!fd.is_open()) return;
  if (fchown(fd.get(), uid, gid) != 0) {
    // Without CAP_CHOWN the shell still starts; it just cannot write its history.
  }
}

// Calls visit(fields) for each well-formed "a:b:c..." line; long lines are skipped.
template <class Visit>
void for_each_record(std::string_view text, Visit visit) {
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    if (line.empty() || line.size() > kMaxAccountLine || line.front() == '#') continue;
    std::vector<std::string_view> fields;
    std::size_t start = 0;
    for (;;) {
      const std::size_t colon = line.find(':', start);
      fields.push_back(line.substr(start, colon - start));
      if (colon == std::string_view::npos) break;
      start = colon + 1;
    }
    if (visit(fields)) return;
  }
}

std::optional<unsigned> parse_id(std::string_view text) {
  if (text.empty() || text.size() > 10) return std::nullopt;
  if (!std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return std::nullopt;
  unsigned long long value = 0;  // 10 digits always fit: no overflow to check for
  std::from_chars(text.data(), text.data() + text.size(), value);
  if (value >= 0xffffffffULL) return std::nullopt;  // (uid_t)-1 means "no change" to the kernel
  return static_cast<unsigned>(value);
}

std::string shell_for_new_user(const std::string& system_root) {
  return access((system_root + "/bin/bash").c_str(), X_OK) == 0 ? "/bin/bash" : "/bin/sh";
}

std::optional<Account> create_account(const std::string& name, const std::string& passwd,
                                      const std::string& group, const std::string& system_root) {
  auto id = next_free_id(passwd, group);
  if (!id) return std::nullopt;
  Account account{name, *id, *id, "/home/" + name, shell_for_new_user(system_root)};
  // Reuse a group of the same name if the image has one (useradd's USERGROUPS_ENAB behaviour).
  if (auto existing = find_group_id(group, name)) {
    account.gid = *existing;
  } else if (!append_line(system_root + "/etc/group", group,
                          name + ":x:" + std::to_string(*id) + ":\n")) {
    return std::nullopt;
  }
  const std::string entry = name + ":x:" + std::to_string(account.uid) + ":" +
                            std::to_string(account.gid) + ":" + name + ",,,:" + account.home +
                            ":" + account.shell + "\n";
  if (!append_line(system_root + "/etc/passwd", passwd, entry)) return std::nullopt;
  if (auto shadow = read_account_file(system_root + "/etc/shadow")) {
    // A locked password with today's change date, as `adduser --disabled-password` leaves it.
    const long days = static_cast<long>(std::time(nullptr) / 86400);
    append_line(system_root + "/etc/shadow", *shadow,
                name + ":!:" + std::to_string(days) + ":0:99999:7:::\n");
  }
  mkdir((system_root + "/home").c_str(), 0755);
  const std::string home = system_root + account.home;
  mkdir(home.c_str(), 0755);
  // The image may have had the directory already; either way the user must own it.
  give_home_to(home, account.uid, account.gid);
  return account;
}

}  // namespace

Account root_account() { return Account{"root", 0, 0, "/root", "/bin/sh"}; }

bool is_valid_user_name(std::string_view name) {
  if (name.empty() || name.size() > 32) return false;
  auto lower_or_underscore = [](char c) { return (c >= 'a' && c <= 'z') || c == '_'; };
  if (!lower_or_underscore(name.front())) return false;
  return std::all_of(name.begin() + 1, name.end(), [&](char c) {
    return lower_or_underscore(c) || (c >= '0' && c <= '9') || c == '-';
  });
}

std::optional<Account> find_account(std::string_view passwd_text, std::string_view name) {
  std::optional<Account> found;
  for_each_record(passwd_text, [&](const std::vector<std::string_view>& f) {
    if (f.size() != 7 || f[0] != name) return false;
    auto uid = parse_id(f[2]);
    auto gid = parse_id(f[3]);
    if (!uid || !gid) return false;  // a broken entry is skipped like the C library does
    found = Account{std::string(f[0]), *uid, *gid, std::string(f[5]), std::string(f[6])};
    return true;
  });
  return found;
}

std::optional<unsigned> find_group_id(std::string_view group_text, std::string_view name) {
  std::optional<unsigned> found;
  for_each_record(group_text, [&](const std::vector<std::string_view>& f) {
    if (f.size() != 4 || f[0] != name) return false;
    found = parse_id(f[2]);
    return found.has_value();
  });
  return found;
}

std::optional<unsigned> next_free_id(std::string_view passwd_text, std::string_view group_text) {
  std::set<unsigned> used;
  auto collect = [&](std::size_t want_fields, std::size_t id_field) {
    return [&used, want_fields, id_field](const std::vector<std::string_view>& f) {
      if (f.size() == want_fields) {
        if (auto id = parse_id(f[id_field])) used.insert(*id);
      }
      return false;
    };
  };
  for_each_record(passwd_text, collect(7, 2));
  for_each_record(passwd_text, collect(7, 3));  // a primary gid in use is taken too
  for_each_record(group_text, collect(4, 2));
  for (unsigned id = kFirstUserId; id <= kLastUserId; ++id) {
    if (!used.contains(id)) return id;
  }
  return std::nullopt;
}

Account resolve_login_account(const std::string& user, const std::string& system_root) {
  auto passwd = read_account_file(system_root + "/etc/passwd");
  auto fallback_root = [&] {
    if (passwd) {
      if (auto root = find_account(*passwd, "root")) return *root;
    }
    return root_account();
  };
  if (!is_valid_user_name(user) || !passwd) return fallback_root();
  if (auto found = find_account(*passwd, user)) return *found;
  // A "root" created as uid 1000 would be an unprivileged root: a tell, and not what was asked.
  if (user == "root") return root_account();
  // Re-read under the lock: another init may have created the user since the read above.
  const UniqueFd lock(open((system_root + "/etc/.pwd.lock").c_str(),
                                 O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK, 0600));
  if (lock.is_open()) {
    while (flock(lock.get(), LOCK_EX) != 0 && errno == EINTR) {
    }
  }
  passwd = read_account_file(system_root + "/etc/passwd");
  if (!passwd) return fallback_root();
  if (auto found = find_account(*passwd, user)) return *found;
  auto group = read_account_file(system_root + "/etc/group");
  if (!group) group = std::string();  // missing /etc/group: append_line will fail, root it is
  if (auto created = create_account(user, *passwd, *group, system_root)) return *created;
  return fallback_root();
}

}  // namespace hermes::init
