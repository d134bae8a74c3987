#pragma once
// The recordings directory as retention sees it: one unit per session, made of the files Hermes
// wrote for it (<session>.cast and its <session>.json sidecar). Anything else in the directory
// (other names, symlinks, sub-directories, the sidecar's temporary file) is neither counted nor
// ever removed: it is not ours.
#include <sys/stat.h>

#include <string>
#include <vector>

#include "app/retention_policy.hpp"
#include "common/result.hpp"

namespace hermes::app {

Result<std::vector<StoredUnit>> scan_recordings(const std::string& dir);

// A file's mtime as a Clock time (nanoseconds kept).
Clock::time_point modified_at(const struct stat& st);

// Unlinks the unit's files (a file already gone is fine). Error names the first that could not go.
Result<void> remove_unit_files(const StoredUnit& unit);

}  // namespace hermes::app
