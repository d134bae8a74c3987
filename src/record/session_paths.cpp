// Where a session's files live, and making sure that place exists.
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <string>
#include <system_error>

#include "record/session_metadata.hpp"

namespace hermes::record {
namespace {

std::string join(const std::string& dir, const std::string& name) {
  if (dir.empty()) return name;
  return dir.back() == '/' ? dir + name : dir + "/" + name;
}

std::string errno_text(int err) { return std::system_category().message(err); }

// Creates one directory level; an existing directory is fine, anything else there is not.
Result<void> make_one(const std::string& path, const std::string& wanted) {
  if (::mkdir(path.c_str(), 0750) == 0) return {};
  const int err = errno;
  struct stat st {};
  if (err == EEXIST && ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) return {};
  const std::string why = err == EEXIST ? "exists and is not a directory" : errno_text(err);
  return fail("cannot create directory " + wanted + ": " + path + " " + why, err);
}

}  // namespace

std::string recording_path(const std::string& dir, const std::string& session) {
  return join(dir, session + ".cast");
}

std::string metadata_path(const std::string& dir, const std::string& session) {
  return join(dir, session + ".json");
}

Result<void> ensure_directory(const std::string& dir) {
  if (dir.empty()) return fail("cannot create directory: empty path");
  // Walk the prefixes ("a", "a/b", ...) as mkdir -p does; repeated slashes yield empty parts.
  std::size_t pos = dir.front() == '/' ? 1 : 0;
  while (pos <= dir.size()) {
    const std::size_t slash = dir.find('/', pos);
    const std::size_t end = slash == std::string::npos ? dir.size() : slash;
    if (end > pos) {
      if (auto made = make_one(dir.substr(0, end), dir); !made) return made;
    }
    if (slash == std::string::npos) break;
    pos = slash + 1;
  }
  if (::access(dir.c_str(), W_OK | X_OK) != 0) {
    const int err = errno;
    return fail("directory " + dir + " is not writable: " + errno_text(err), err);
  }
  return {};
}

}  // namespace hermes::record
