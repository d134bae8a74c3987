#pragma once
// Files Hermes writes records into (recordings, the event log): opened for writing with mode
// 0640 when created, close-on-exec, and never through a symlink in the last path component — a
// name we chose, so a symlink planted there is an attack.
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace hermes {

struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};
using FilePtr = std::unique_ptr<std::FILE, FileCloser>;

enum class OpenMode { truncate, append };

// `what` names the file in errors ("recording", "event log"); Error::code is the errno.
Result<FilePtr> open_output_file(const std::string& path, OpenMode mode, std::string_view what);

}  // namespace hermes
