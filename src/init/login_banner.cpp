#include "init/login_banner.hpp"

#include <sys/stat.h>

#include "init/bounded_file.hpp"

namespace hermes::init {
namespace {

constexpr std::size_t kMaxMotd = 64 * 1024;  // Debian's is 286 bytes; a bigger one is cut out

bool exists_without_following(const std::string& path) {
  struct stat info {};
  return lstat(path.c_str(), &info) == 0;
}

}  // namespace

std::string uname_line(const utsname& names) {
  return std::string(names.sysname) + " " + names.nodename + " " + names.release + " " +
         names.version + " " + names.machine + "\n";
}

std::string compose_banner(const BannerParts& parts) {
  if (parts.hushed) return {};
  std::string out;
  if (parts.uname) out += *parts.uname;
  if (parts.motd) out += *parts.motd;
  // pam_motd strips one final newline from each file and sshd adds one per message: the net
  // effect is the file's text, plus a newline if it lacked one.
  if (!out.empty() && out.back() != '\n') out += '\n';
  if (parts.previous) out += format_last_login(*parts.previous);
  return out;
}

BannerParts gather_banner(const Account& account, const std::string& system_root) {
  BannerParts parts;
  // sshd checks as the user; the file's existence is all that counts.
  parts.hushed = exists_without_following(system_root + account.home + "/.hushlogin");
  if (exists_without_following(system_root + "/etc/update-motd.d/10-uname")) {
    utsname names{};
    if (uname(&names) == 0) parts.uname = uname_line(names);
  }
  parts.motd = read_bounded(system_root + "/etc/motd", kMaxMotd);
  if (parts.motd && parts.motd->empty()) parts.motd.reset();
  parts.previous = previous_login(account.uid, account.name, system_root);
  return parts;
}

}  // namespace hermes::init
