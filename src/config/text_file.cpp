#include "config/text_file.hpp"

#include "common/unique_fd.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace hermes::config {
namespace {

// Captures errno before building the message, which may allocate.
std::unexpected<hermes::Error> fail_with_errno(const std::string& what, const std::string& path) {
  const int error_number = errno;
  return hermes::fail(what + " " + path + ": " + std::strerror(error_number), error_number);
}

}  // namespace

hermes::Result<std::string> read_text_file(const std::string& path, std::size_t max_bytes) {
  // O_NONBLOCK: opening a FIFO must not wait for a writer; the type check below refuses it.
  const UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY));
  if (fd.get() < 0) return fail_with_errno("cannot open", path);

  struct stat info {};
  if (::fstat(fd.get(), &info) != 0) return fail_with_errno("cannot stat", path);
  if (!S_ISREG(info.st_mode)) return hermes::fail(path + " is not a regular file");
  if (static_cast<unsigned long long>(info.st_size) > max_bytes) {
    return hermes::fail(path + " is larger than " + std::to_string(max_bytes) + " bytes");
  }

  // Read one byte past the limit so a file that grew since fstat is still refused.
  std::string content(max_bytes + 1, '\0');
  std::size_t used = 0;
  while (used < content.size()) {
    const ssize_t n = ::read(fd.get(), content.data() + used, content.size() - used);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return fail_with_errno("cannot read", path);
    if (n == 0) break;
    used += static_cast<std::size_t>(n);
  }
  if (used > max_bytes) {
    return hermes::fail(path + " is larger than " + std::to_string(max_bytes) + " bytes");
  }
  content.resize(used);
  return content;
}

}  // namespace hermes::config
