#include "sandbox/minimal_rootfs.hpp"

#include <openssl/rand.h>

#include <algorithm>
#include <array>
#include <fstream>
#include <set>
#include <sstream>

#include "sandbox/elf_check.hpp"
#include "sandbox/program_output.hpp"
#include "sandbox/tar_writer.hpp"

namespace hermes::sandbox {
namespace {

constexpr std::size_t kMaxAppletListBytes = 256 * 1024;
constexpr std::size_t kMaxApplets = 2000;

// Debian's layout; /var/run is a symlink to /run there too.
struct DirSpec {
  const char* path;
  unsigned mode;
};
constexpr std::array kDirectories{
    DirSpec{"bin", 0755},       DirSpec{"sbin", 0755},      DirSpec{"usr", 0755},
    DirSpec{"usr/bin", 0755},   DirSpec{"usr/sbin", 0755},  DirSpec{"usr/local", 0755},
    DirSpec{"usr/local/bin", 0755}, DirSpec{"usr/local/sbin", 0755}, DirSpec{"etc", 0755},
    DirSpec{"root", 0700},      DirSpec{"home", 0755},      DirSpec{"tmp", 01777},
    DirSpec{"var", 0755},       DirSpec{"var/log", 0755},   DirSpec{"var/tmp", 01777},
    DirSpec{"var/mail", 02775}, DirSpec{"run", 0755},       DirSpec{"dev", 0755},
    DirSpec{"proc", 0555},      DirSpec{"sys", 0555},       DirSpec{"mnt", 0755},
    DirSpec{"opt", 0755},       DirSpec{"srv", 0755},       DirSpec{"media", 0755},
};

constexpr std::string_view kProfile =
    "# /etc/profile: system-wide .profile file for the Bourne shell (sh(1))\n"
    "# and Bourne compatible shells (bash(1), ksh(1), ash(1), ...).\n"
    "\n"
    "if [ \"$(id -u)\" -eq 0 ]; then\n"
    "  PATH=\"/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\"\n"
    "else\n"
    "  PATH=\"/usr/local/bin:/usr/bin:/bin\"\n"
    "fi\n"
    "export PATH\n"
    "\n"
    // \$ prints '#' for root and '$' for others, as Debian's default prompt does. (In bash, \#
    // would be the command number, not a literal '#'.)
    "PS1='\\u@\\h:\\w\\$ '\n"
    "export PS1\n"
    "umask 022\n";

constexpr std::string_view kOsRelease =
    "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n"
    "NAME=\"Debian GNU/Linux\"\n"
    "VERSION_ID=\"12\"\n"
    "VERSION=\"12 (bookworm)\"\n"
    "VERSION_CODENAME=bookworm\n"
    "ID=debian\n"
    "HOME_URL=\"https://www.debian.org/\"\n"
    "SUPPORT_URL=\"https://www.debian.org/support\"\n"
    "BUG_REPORT_URL=\"https://bugs.debian.org/\"\n";

constexpr std::string_view kHosts =
    "127.0.0.1\tlocalhost\n"
    "::1\t\tlocalhost ip6-localhost ip6-loopback\n"
    "ff02::1\t\tip6-allnodes\n"
    "ff02::2\t\tip6-allrouters\n";

// A hash in Debian 12's default format (yescrypt, "$y$j9T$salt$hash") that matches no password:
// bait for whoever reads /etc/shadow, and nothing to crack.
std::string random_shadow_hash() {
  static constexpr char alphabet[] =
      "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  std::array<unsigned char, 22 + 43> bytes{};
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) return "*";
  std::string hash = "$y$j9T$";
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    if (i == 22) hash += '$';
    hash += alphabet[bytes[i] % 64];
  }
  return hash;
}

bool is_applet_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         c == '_' || c == '-' || c == '.' || c == '/' || c == '[' || c == ']' || c == '+';
}

// Collects every directory on the way to `path` (not `path` itself).
void add_parents(std::string_view path, std::set<std::string>& out) {
  for (std::size_t slash = path.find('/'); slash != std::string_view::npos;
       slash = path.find('/', slash + 1)) {
    out.emplace(path.substr(0, slash));
  }
}

class RootfsBuilder {
 public:
  explicit RootfsBuilder(std::time_t mtime) : tar_(mtime) {}

  Result<void> directory(const std::string& path, unsigned mode) {
    if (!directories_.insert(path).second) return {};
    return tar_.add_directory(path, mode);
  }
  Result<void> file(const std::string& path, std::string_view content, unsigned mode) {
    if (auto ok = parents(path); !ok) return ok;
    taken_.insert(path);
    return tar_.add_file(path, content, mode);
  }
  Result<void> symlink(const std::string& path, const std::string& target) {
    if (taken_.contains(path)) return {};  // a real file wins over an applet link
    if (auto ok = parents(path); !ok) return ok;
    taken_.insert(path);
    return tar_.add_symlink(path, target);
  }
  std::size_t size() const { return tar_.size(); }
  std::string finish() && { return std::move(tar_).finish(); }

 private:
  Result<void> parents(const std::string& path) {
    std::set<std::string> needed;
    add_parents(path, needed);
    for (const auto& dir : needed) {  // std::set order puts "a" before "a/b"
      if (auto ok = directory(dir, 0755); !ok) return ok;
    }
    return {};
  }

  TarWriter tar_;
  std::set<std::string> directories_;
  std::set<std::string> taken_;
};

}  // namespace

Result<std::vector<std::string>> parse_applet_list(std::string_view text) {
  std::set<std::string> applets;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    if (line.empty()) continue;
    if (line.size() > 100 || line.front() == '/' || line.find("..") != std::string_view::npos ||
        !std::all_of(line.begin(), line.end(), is_applet_char)) {
      return fail("unexpected applet path in busybox --list-full output: '" +
                  std::string(line.substr(0, 100)) + "'");
    }
    const std::string_view name = line.substr(line.rfind('/') + 1);
    if (name.empty()) return fail("empty applet name in busybox --list-full output");
    if (name == "init" || name == "linuxrc") continue;  // /sbin/init is hermes-init
    applets.emplace(line);
    if (applets.size() > kMaxApplets) return fail("busybox lists more than 2000 applets");
  }
  if (applets.empty()) return fail("busybox --list-full listed no applets");
  return std::vector<std::string>(applets.begin(), applets.end());
}

Result<std::string> build_minimal_rootfs(const MinimalRootfsInputs& in) {
  auto progress = [&](const std::string& line) {
    if (in.progress) in.progress(line);
  };
  auto busybox = read_static_executable(in.busybox_path, "busybox");
  if (!busybox) return std::unexpected(busybox.error());
  auto init = read_static_executable(in.init_path, "hermes-init");
  if (!init) return std::unexpected(init.error());
  auto listing = program_output({in.busybox_path, "--list-full"}, kMaxAppletListBytes);
  if (!listing) return std::unexpected(listing.error());
  auto applets = parse_applet_list(*listing);
  if (!applets) return std::unexpected(applets.error());
  progress("busybox " + in.busybox_path + ": " + std::to_string(applets->size()) + " applets");

  const std::string days = std::to_string(in.mtime / 86400);
  RootfsBuilder fs(in.mtime);
  std::vector<Result<void>> steps;
  for (const auto& dir : kDirectories) steps.push_back(fs.directory(dir.path, dir.mode));
  steps.push_back(fs.symlink("var/run", "/run"));
  steps.push_back(fs.file("bin/busybox", *busybox, 0755));
  steps.push_back(fs.file("sbin/init", *init, 0755));
  steps.push_back(fs.file("etc/passwd", "root:x:0:0:root:/root:/bin/sh\n", 0644));
  steps.push_back(fs.file("etc/group", "root:x:0:\n", 0644));
  steps.push_back(fs.file("etc/shadow", "root:" + random_shadow_hash() + ":" + days + ":0:99999:7:::\n", 0640));
  steps.push_back(fs.file("etc/hostname", "debian\n", 0644));
  steps.push_back(fs.file("etc/hosts", kHosts, 0644));
  steps.push_back(fs.file("etc/profile", kProfile, 0644));
  steps.push_back(fs.file("etc/os-release", kOsRelease, 0644));
  steps.push_back(fs.file("etc/debian_version", "12.7\n", 0644));
  steps.push_back(fs.file("etc/shells", "# /etc/shells: valid login shells\n/bin/sh\n/bin/ash\n", 0644));
  // Present and empty so hermes-init can record the login for `w`, `who` and `last`.
  steps.push_back(fs.file("run/utmp", "", 0664));
  steps.push_back(fs.file("var/log/wtmp", "", 0664));
  steps.push_back(fs.file("var/log/btmp", "", 0660));
  for (const auto& applet : *applets) steps.push_back(fs.symlink(applet, "/bin/busybox"));
  for (auto& step : steps) {
    if (!step) return std::unexpected(step.error());
  }
  progress("rootfs: " + std::to_string(fs.size() / 1024) + " KiB");
  return std::move(fs).finish();
}

}  // namespace hermes::sandbox
