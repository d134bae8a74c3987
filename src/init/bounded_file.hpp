#pragma once
// Reading files inside the container, whose content (and type: symlink, FIFO, device) an attacker
// may have chosen in an earlier session of a kept container: never follow a final symlink, never
// block on a FIFO, never read past a cap.
#include <cstddef>
#include <optional>
#include <string>

namespace hermes::init {

// Closes on every return path; -1 means "nothing open".
class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  ~FileDescriptor();
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  int get() const { return fd_; }
  bool is_open() const { return fd_ >= 0; }

 private:
  int fd_;
};

// A regular file's content, or nullopt (missing, not a regular file, a symlink, over max_bytes).
std::optional<std::string> read_bounded(const std::string& path, std::size_t max_bytes);

}  // namespace hermes::init
