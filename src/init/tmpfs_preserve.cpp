#include "init/tmpfs_preserve.hpp"

#include "common/unique_fd.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <ftw.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

namespace hermes::init {
namespace {

constexpr const char* kPartName = ".part";

struct DirCloser {
  void operator()(DIR* dir) const { ::closedir(dir); }
};

// A directory below `parent`, created if missing, never through a symlink.
UniqueFd open_or_make_dir(int parent, const char* name) {
  if (::mkdirat(parent, name, 0700) != 0 && errno != EEXIST) return UniqueFd();
  return UniqueFd(::openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
}

bool write_all(int fd, const char* data, std::size_t size) {
  while (size > 0) {
    const ssize_t n = ::write(fd, data, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data += n;
    size -= static_cast<std::size_t>(n);
  }
  return true;
}

class Walker {
 public:
  Walker(int store, const PreserveLimits& limits) : store_(store), limits_(limits) {}

  void copy_tree(int source, int target, dev_t device, int depth) {
    // A duplicate for the listing: fdopendir takes it over, `source` stays ours for openat.
    UniqueFd listing(::dup(source));
    if (!listing.is_open()) return note_failure();
    std::unique_ptr<DIR, DirCloser> dir(::fdopendir(listing.get()));
    if (!dir) return note_failure();
    listing.release();
    while (const dirent* entry = ::readdir(dir.get())) {
      if (out_.files >= limits_.max_files || out_.bytes >= limits_.max_bytes) return;
      const char* name = entry->d_name;
      if (std::strcmp(name, ".") == 0 || std::strcmp(name, "..") == 0) continue;
      struct stat st {};
      if (::fstatat(source, name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
        note_failure();
        continue;
      }
      if (S_ISREG(st.st_mode)) {
        copy_file(source, target, name);
      } else if (S_ISDIR(st.st_mode) && st.st_dev == device && depth < limits_.max_depth) {
        UniqueFd sub_source(::openat(source, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
        UniqueFd sub_target = open_or_make_dir(target, name);
        if (!sub_source.is_open() || !sub_target.is_open()) {
          note_failure();
          continue;
        }
        copy_tree(sub_source.get(), sub_target.get(), device, depth + 1);
      }
    }
  }

  PreserveOutcome outcome() const { return out_; }

 private:
  void note_failure() { ++out_.failures; }

  void copy_file(int source, int target, const char* name) {
    // O_NONBLOCK: a FIFO swapped in after the stat must not block PID 1.
    UniqueFd in(::openat(source, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC));
    struct stat st {};
    if (!in.is_open() || ::fstat(in.get(), &st) != 0 || !S_ISREG(st.st_mode)) return note_failure();
    UniqueFd out(::openat(store_, kPartName, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600));
    if (!out.is_open()) return note_failure();
    char buffer[64 * 1024];
    for (;;) {
      const ssize_t n = ::read(in.get(), buffer, sizeof buffer);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return note_failure();
      if (n == 0) break;
      if (out_.bytes + static_cast<std::uint64_t>(n) > limits_.max_bytes) return note_failure();
      if (!write_all(out.get(), buffer, static_cast<std::size_t>(n))) return note_failure();
      out_.bytes += static_cast<std::uint64_t>(n);
    }
    if (::renameat(store_, kPartName, target, name) != 0) return note_failure();
    ++out_.files;
  }

  int store_;
  const PreserveLimits& limits_;
  PreserveOutcome out_;
};

// Children before their directory (nftw with FTW_DEPTH).
int remove_entry(const char* path, const struct stat*, int, struct FTW*) {
  std::remove(path);
  return 0;  // keep going: best effort
}

}  // namespace

void clear_preserve_store(const std::string& store) {
  ::nftw(store.c_str(), remove_entry, 16, FTW_DEPTH | FTW_PHYS | FTW_MOUNT);
}

PreserveOutcome preserve_tmpfs(const std::vector<std::string>& roots, const std::string& store,
                               const PreserveLimits& limits) {
  PreserveOutcome total;
  clear_preserve_store(store);
  if (::mkdir(store.c_str(), 0700) != 0 && errno != EEXIST) {
    ++total.failures;
    return total;
  }
  UniqueFd store_fd(::open(store.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (!store_fd.is_open()) {
    ++total.failures;
    return total;
  }
  Walker walker(store_fd.get(), limits);
  for (const auto& root : roots) {
    UniqueFd source(::open(root.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    struct stat st {};
    if (!source.is_open() || ::fstat(source.get(), &st) != 0) continue;  // no such mount here
    // The same path below the store: "/dev/shm" becomes <store>/dev/shm.
    UniqueFd target(::dup(store_fd.get()));
    std::size_t start = 0;
    bool made = target.is_open();
    while (made && start < root.size()) {
      const std::size_t slash = root.find('/', start);
      const std::size_t end = slash == std::string::npos ? root.size() : slash;
      if (end > start) {
        const std::string part = root.substr(start, end - start);
        UniqueFd next = open_or_make_dir(target.get(), part.c_str());
        made = next.is_open();
        target = std::move(next);
      }
      start = end + 1;
    }
    if (!made) {
      ++total.failures;
      continue;
    }
    walker.copy_tree(source.get(), target.get(), st.st_dev, 0);
  }
  const auto walked = walker.outcome();
  total.files += walked.files;
  total.bytes += walked.bytes;
  total.failures += walked.failures;
  return total;
}

int preserve_tmpfs_main() {
  const std::vector<std::string> roots{"/tmp", "/dev/shm"};
  const auto outcome = preserve_tmpfs(roots, kPreserveStore);
  return outcome.files == 0 && outcome.failures > 0 ? 1 : 0;
}

}  // namespace hermes::init
