#include "init/tmpfs_preserve.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>

namespace hermes::init {
namespace {

constexpr const char* kPartName = ".part";

class Fd {
 public:
  explicit Fd(int fd = -1) : fd_(fd) {}
  Fd(Fd&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  Fd& operator=(Fd&& other) noexcept {
    if (this != &other) {
      if (fd_ >= 0) ::close(fd_);
      fd_ = other.fd_;
      other.fd_ = -1;
    }
    return *this;
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }
  int release() {
    const int fd = fd_;
    fd_ = -1;
    return fd;
  }
  bool ok() const { return fd_ >= 0; }

 private:
  int fd_;
};

struct DirCloser {
  void operator()(DIR* dir) const { ::closedir(dir); }
};

// A directory below `parent`, created if missing, never through a symlink.
Fd open_or_make_dir(int parent, const char* name) {
  if (::mkdirat(parent, name, 0700) != 0 && errno != EEXIST) return Fd();
  return Fd(::openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
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
    Fd listing(::dup(source));
    if (!listing.ok()) return note_failure();
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
        Fd sub_source(::openat(source, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
        Fd sub_target = open_or_make_dir(target, name);
        if (!sub_source.ok() || !sub_target.ok()) {
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
    Fd in(::openat(source, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC));
    struct stat st {};
    if (!in.ok() || ::fstat(in.get(), &st) != 0 || !S_ISREG(st.st_mode)) return note_failure();
    Fd out(::openat(store_, kPartName, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600));
    if (!out.ok()) return note_failure();
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

}  // namespace

PreserveOutcome preserve_tmpfs(const std::vector<std::string>& roots, const std::string& store,
                               const PreserveLimits& limits) {
  PreserveOutcome total;
  if (::mkdir(store.c_str(), 0700) != 0 && errno != EEXIST) {
    ++total.failures;
    return total;
  }
  Fd store_fd(::open(store.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (!store_fd.ok()) {
    ++total.failures;
    return total;
  }
  Walker walker(store_fd.get(), limits);
  for (const auto& root : roots) {
    Fd source(::open(root.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    struct stat st {};
    if (!source.ok() || ::fstat(source.get(), &st) != 0) continue;  // no such mount here
    // The same path below the store: "/dev/shm" becomes <store>/dev/shm.
    Fd target(::dup(store_fd.get()));
    std::size_t start = 0;
    bool made = target.ok();
    while (made && start < root.size()) {
      const std::size_t slash = root.find('/', start);
      const std::size_t end = slash == std::string::npos ? root.size() : slash;
      if (end > start) {
        const std::string part = root.substr(start, end - start);
        Fd next = open_or_make_dir(target.get(), part.c_str());
        made = next.ok();
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
