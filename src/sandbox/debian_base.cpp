#include "sandbox/debian_base.hpp"

#include <fcntl.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include "common/sha256.hpp"
#include "sandbox/build_command.hpp"

namespace hermes::sandbox {
namespace {

namespace fs = std::filesystem;
using std::chrono::minutes;

constexpr std::string_view kRelease = "bookworm";
constexpr std::string_view kMirror = "http://deb.debian.org/debian";
// Bumped whenever the steps below change what ends up in the tar.
constexpr std::string_view kStepsVersion = "debian-base steps v2";
constexpr std::string_view kCachePrefix = "debian-base-";

// Keeps services from starting inside the build chroot (invoke-rc.d asks this script).
constexpr std::string_view kPolicyRcD = "#!/bin/sh\nexit 101\n";
constexpr std::string_view kChrootPath = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

using Progress = std::function<void(std::string_view)>;

// Turns a step's output into progress lines: lines starting with a `counted` prefix (one per
// package) become a running count every `every` lines; lines with a `kept` prefix pass as they
// are; the rest is only kept for the error message.
class ProgressFilter {
 public:
  ProgressFilter(std::string label, std::vector<std::string> kept, std::vector<std::string> counted,
                 std::string counted_what, const Progress& progress)
      : label_(std::move(label)), kept_(std::move(kept)), counted_(std::move(counted)),
        counted_what_(std::move(counted_what)), progress_(progress) {}

  std::function<void(std::string_view)> callback() {
    return [this](std::string_view line) { take(line); };
  }
  void summary() {
    if (count_ > 0 && progress_) progress_(label_ + ": " + std::to_string(count_) + " " + counted_what_);
  }

 private:
  static bool starts_with_any(std::string_view line, const std::vector<std::string>& prefixes) {
    for (const auto& prefix : prefixes) {
      if (line.starts_with(prefix)) return true;
    }
    return false;
  }
  void take(std::string_view line) {
    if (!progress_) return;
    if (starts_with_any(line, counted_)) {
      if (++count_ % 50 == 0) progress_(label_ + ": " + std::to_string(count_) + " " + counted_what_ + "...");
      return;
    }
    if (starts_with_any(line, kept_)) progress_(label_ + ": " + std::string(line));
  }

  std::string label_;
  std::vector<std::string> kept_, counted_;
  std::string counted_what_;
  const Progress& progress_;
  std::size_t count_ = 0;
};

Result<void> write_file(const fs::path& path, std::string_view content, fs::perms mode) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
  out.close();
  if (!out) return fail("cannot write " + path.string());
  std::error_code ec;
  fs::permissions(path, mode, ec);
  if (ec) return fail("cannot set the mode of " + path.string() + ": " + ec.message());
  return {};
}

// Mount points at or below `root`, deepest first (from /proc/self/mountinfo; "\040" escapes).
std::vector<std::string> mounts_below(const fs::path& root) {
  std::vector<std::string> found;
  std::ifstream info("/proc/self/mountinfo");
  const std::string prefix = root.string();
  for (std::string line; std::getline(info, line);) {
    std::istringstream fields(line);
    std::string id, parent, device, source, point;
    fields >> id >> parent >> device >> source >> point;
    std::string decoded;
    for (std::size_t i = 0; i < point.size(); ++i) {
      if (point[i] == '\\' && i + 3 < point.size()) {
        decoded += static_cast<char>(std::stoi(point.substr(i + 1, 3), nullptr, 8));
        i += 3;
      } else {
        decoded += point[i];
      }
    }
    if (decoded == prefix || decoded.starts_with(prefix + "/")) found.push_back(decoded);
  }
  std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) { return a.size() > b.size(); });
  return found;
}

// The temporary rootfs: removed whatever happens. debootstrap mounts /proc in it while it works;
// an interrupted run may leave that (or more) mounted, and removing files through a mount would
// reach the host, so mounts are detached first and the tree is left alone if one stays.
class ScratchRoot {
 public:
  static Result<std::unique_ptr<ScratchRoot>> create(const fs::path& parent) {
    std::string pattern = (parent / "work-XXXXXX").string();
    if (!mkdtemp(pattern.data())) return fail("cannot create a directory in " + parent.string() + ": " + std::strerror(errno));
    return std::unique_ptr<ScratchRoot>(new ScratchRoot(pattern));
  }
  ~ScratchRoot() {
    for (const auto& point : mounts_below(dir_)) umount2(point.c_str(), MNT_DETACH);
    if (!mounts_below(dir_).empty()) {
      std::fprintf(stderr, "image: WARNING: %s still has mounts; left in place, remove it by hand\n", dir_.c_str());
      return;
    }
    std::error_code ec;
    fs::remove_all(dir_, ec);  // does not follow symlinks
  }
  ScratchRoot(const ScratchRoot&) = delete;
  ScratchRoot& operator=(const ScratchRoot&) = delete;

  fs::path rootfs() const { return dir_ / "rootfs"; }
  fs::path dir() const { return dir_; }

 private:
  explicit ScratchRoot(fs::path dir) : dir_(std::move(dir)) {}
  fs::path dir_;
};

std::vector<std::string> chroot_command(const fs::path& root, std::vector<std::string> args) {
  std::vector<std::string> argv{"chroot", root.string()};
  argv.insert(argv.end(), args.begin(), args.end());
  return argv;
}

const std::vector<std::string> kAptEnvironment{"DEBIAN_FRONTEND=noninteractive", "LC_ALL=C",
                                               std::string(kChrootPath)};

std::vector<std::string> apt_get(std::vector<std::string> args) {
  std::vector<std::string> argv{"apt-get", "-y", "-o", "Dpkg::Options::=--force-confdef", "-o",
                                "Dpkg::Options::=--force-confold"};
  argv.insert(argv.end(), args.begin(), args.end());
  return argv;
}

Result<void> run_step(ProgressFilter& filter, std::vector<std::string> argv, std::chrono::seconds timeout) {
  BuildCommand command;
  command.argv = std::move(argv);
  command.extra_env = kAptEnvironment;
  command.timeout = timeout;
  command.on_line = filter.callback();
  auto ran = run_build_command(command);
  filter.summary();
  return ran;
}

Result<void> debootstrap(const fs::path& root, const fs::path& deb_cache, const Progress& progress) {
  std::error_code ec;
  fs::create_directories(deb_cache, ec);
  if (ec) return fail("cannot create " + deb_cache.string() + ": " + ec.message());
  progress("debootstrap " + std::string(kRelease) + " (minbase) from " + std::string(kMirror) +
           " (downloads are kept in " + deb_cache.string() + ")");
  ProgressFilter filter("debootstrap", {"I: Retrieving Release", "I: Resolving", "I: Found", "I: Installing",
                                        "I: Configuring the base", "I: Base system", "W:", "E:"},
                        {"I: Retrieving", "I: Validating", "I: Extracting", "I: Unpacking", "I: Configuring"},
                        "package steps", progress);
  const std::vector<std::string> argv{"debootstrap",  "--variant=minbase",
                                      "--cache-dir=" + fs::absolute(deb_cache).string(),
                                      std::string(kRelease), root.string(), std::string(kMirror)};
  return run_step(filter, argv, minutes(40));
}

Result<void> install_packages(const fs::path& root, const DebianBaseRecipe& recipe, const Progress& progress) {
  if (auto ok = write_file(root / "etc/apt/sources.list", recipe.sources_list, fs::perms(0644)); !ok) return ok;
  if (auto ok = write_file(root / "usr/sbin/policy-rc.d", kPolicyRcD, fs::perms(0755)); !ok) return ok;
  {
    ProgressFilter filter("apt update", {"E:", "Err:", "Fetched"}, {}, "", progress);
    auto argv = chroot_command(root, apt_get({"update"}));
    if (auto ok = run_step(filter, argv, minutes(15)); !ok) return ok;
  }
  progress("installing " + std::to_string(recipe.packages.size()) + " packages and their dependencies");
  {
    std::vector<std::string> args{"install", "--no-install-recommends"};
    args.insert(args.end(), recipe.packages.begin(), recipe.packages.end());
    ProgressFilter filter("apt install", {"E:", "Fetched", "Need to get"}, {"Setting up"}, "packages set up", progress);
    if (auto ok = run_step(filter, chroot_command(root, apt_get(args)), minutes(40)); !ok) return ok;
  }
  ProgressFilter filter("apt upgrade", {"E:", "Fetched"}, {"Setting up"}, "packages upgraded", progress);
  return run_step(filter, chroot_command(root, apt_get({"dist-upgrade"})), minutes(20));
}

Result<void> run_setup_script(const fs::path& root, const DebianBaseRecipe& recipe, const Progress& progress) {
  const fs::path script = root / "tmp/hermes-setup.sh";
  if (auto ok = write_file(script, recipe.setup_script, fs::perms(0700)); !ok) return ok;
  progress("running the recipe's setup.sh in the rootfs");
  ProgressFilter filter("setup.sh", {""}, {}, "", progress);
  auto ran = run_step(filter, chroot_command(root, {"/bin/sh", "/tmp/hermes-setup.sh"}), minutes(15));
  std::error_code ec;
  fs::remove(script, ec);
  fs::remove(root / "usr/sbin/policy-rc.d", ec);  // a build leftover no real server has
  return ran;
}

// Packs the rootfs (numeric owners; no access/change times). File capabilities (ping's
// cap_net_raw) are left out on purpose: a sandbox without that capability and with
// no-new-privileges cannot exec such a file at all ("ping: Operation not permitted", a tell),
// while a plain ping works as on a server without a network.
// into `partial`, then renames it into place only once it is complete on disk.
Result<void> pack_rootfs(const fs::path& root, const fs::path& partial, const fs::path& final_path,
                         const Progress& progress) {
  progress("packing the rootfs into " + final_path.string());
  BuildCommand tar;
  tar.argv = {"tar",          "--create",         "--file=" + partial.string(), "--directory=" + root.string(),
              "--format=posix", "--pax-option=delete=atime,delete=ctime", "--numeric-owner",
              "--exclude=./proc/*",
              "--exclude=./sys/*", "--exclude=./dev/*", "--exclude=./tmp/*", "."};
  tar.timeout = minutes(20);
  if (auto ok = run_build_command(tar); !ok) return ok;
  const int fd = open(partial.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0 || fsync(fd) != 0) {
    if (fd >= 0) close(fd);
    return fail("cannot sync " + partial.string());
  }
  close(fd);
  std::error_code ec;
  fs::rename(partial, final_path, ec);
  if (ec) return fail("cannot rename " + partial.string() + ": " + ec.message());
  return {};
}

// Older bases (another recipe's hash) are half a gigabyte each: only the current one is kept.
void remove_other_bases(const fs::path& cache_dir, const fs::path& keep) {
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(cache_dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.starts_with(kCachePrefix) && entry.path() != keep) fs::remove(entry.path(), ec);
  }
}

}  // namespace

std::string debian_base_key(const DebianBaseRecipe& recipe) {
  Sha256 hash;
  for (std::string_view part : {kStepsVersion, kRelease, kMirror}) {
    hash.update(part);
    hash.update("\n");
  }
  hash.update("packages:\n");
  for (const auto& name : recipe.packages) hash.update(name + "\n");
  hash.update("sources.list:\n" + std::to_string(recipe.sources_list.size()) + "\n");
  hash.update(recipe.sources_list);
  hash.update("setup.sh:\n" + std::to_string(recipe.setup_script.size()) + "\n");
  hash.update(recipe.setup_script);
  return hash.hex_digest();
}

fs::path default_image_cache_dir() {
  const auto env = [](const char* name) -> std::string {
    const char* value = std::getenv(name);
    return value ? value : "";
  };
  if (const auto dir = env("HERMES_IMAGE_CACHE"); !dir.empty()) return dir;
  if (const auto dir = env("XDG_CACHE_HOME"); !dir.empty()) return fs::path(dir) / "hermes";
  if (const auto home = env("HOME"); !home.empty()) return fs::path(home) / ".cache" / "hermes";
  return "/var/cache/hermes";
}

Result<DebianBase> ensure_debian_base(const DebianBaseRecipe& recipe, const fs::path& cache_dir,
                                      const Progress& progress) {
  const std::string key = debian_base_key(recipe);
  const fs::path cached = cache_dir / (std::string(kCachePrefix) + key.substr(0, 16) + ".tar");
  std::error_code ec;
  if (fs::is_regular_file(cached, ec)) {
    progress("reusing the cached Debian base " + cached.string());
    return DebianBase{cached, true};
  }
  if (geteuid() != 0) {
    return fail("building the Debian base needs root (debootstrap and chroot); run it once as root, e.g. "
                "'sudo build/hermes image build --profile debian' (the base is then cached in " +
                cache_dir.string() + " and reused, set HERMES_IMAGE_CACHE to choose another place)");
  }
  fs::create_directories(cache_dir, ec);
  if (ec) return fail("cannot create the image cache " + cache_dir.string() + ": " + ec.message());
  progress("no cached Debian base for this recipe (" + cached.filename().string() + "): building it, which takes minutes");

  BuildInterruptGuard interrupts;
  auto scratch = ScratchRoot::create(cache_dir);
  if (!scratch) return std::unexpected(scratch.error());
  const fs::path root = (*scratch)->rootfs();
  if (auto ok = debootstrap(root, cache_dir / "debs", progress); !ok) return std::unexpected(ok.error());
  if (auto ok = install_packages(root, recipe, progress); !ok) return std::unexpected(ok.error());
  if (auto ok = run_setup_script(root, recipe, progress); !ok) return std::unexpected(ok.error());
  const fs::path partial = (*scratch)->dir() / "base.tar.partial";
  if (auto ok = pack_rootfs(root, partial, cached, progress); !ok) return std::unexpected(ok.error());
  remove_other_bases(cache_dir, cached);
  if (build_interrupted()) return fail("interrupted");
  return DebianBase{cached, false};
}

}  // namespace hermes::sandbox
