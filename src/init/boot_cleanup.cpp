#include "init/boot_cleanup.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>


#include "init/bounded_file.hpp"
#include "init/tmpfs_preserve.hpp"

namespace hermes::init {
namespace {

bool is_valid_hostname(const std::string& name) {
  if (name.empty() || name.size() > 64) return false;
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '.';
    if (!ok) return false;
  }
  return true;
}

void overwrite_regular_file(const std::string& path, const std::string& content) {
  const UniqueFd fd(open(path.c_str(), O_WRONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK));
  if (!fd.is_open()) return;
  struct stat info {};
  if (fstat(fd.get(), &info) != 0 || !S_ISREG(info.st_mode)) return;
  if (ftruncate(fd.get(), 0) != 0) return;
  if (write(fd.get(), content.data(), content.size()) != static_cast<ssize_t>(content.size())) {
    // Nothing better to do at boot: the container still works with a short hosts file.
  }
}

}  // namespace

void remove_preserved_tmpfs(const std::string& system_root) {
  clear_preserve_store(system_root + kPreserveStore);
}

std::string debian_hosts(const std::string& hostname) {
  std::string text = "127.0.0.1\tlocalhost\n";
  if (is_valid_hostname(hostname)) text += "127.0.1.1\t" + hostname + "\n";
  text +=
      "\n"
      "# The following lines are desirable for IPv6 capable hosts\n"
      "::1     localhost ip6-localhost ip6-loopback\n"
      "ff02::1 ip6-allnodes\n"
      "ff02::2 ip6-allrouters\n";
  return text;
}

void hide_container_marks(const std::string& system_root) {
  unlink((system_root + "/.dockerenv").c_str());
  remove_preserved_tmpfs(system_root);
  char name[256] = {};
  if (gethostname(name, sizeof name - 1) != 0) return;
  overwrite_regular_file(system_root + "/etc/hosts", debian_hosts(name));
}

}  // namespace hermes::init
