#include "common/output_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

namespace hermes {

Result<FilePtr> open_output_file(const std::string& path, OpenMode mode, std::string_view what) {
  const int disposition = mode == OpenMode::append ? O_APPEND : O_TRUNC;
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW | disposition, 0640);
  if (fd < 0) {
    const int err = errno;
    return fail("cannot open " + std::string(what) + " " + path + ": " +
                    std::system_category().message(err), err);
  }
  FilePtr file(::fdopen(fd, mode == OpenMode::append ? "a" : "w"));
  if (!file) {
    const int err = errno;
    ::close(fd);
    return fail("cannot open stream for " + std::string(what) + " " + path + ": " +
                    std::system_category().message(err), err);
  }
  return file;
}

}  // namespace hermes
