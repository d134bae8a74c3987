#pragma once
// The artifact store as retention sees it: one unit per stored file (<sha256>, a regular file),
// dated by its mtime, which is when it was stored or last seen again (a duplicate refreshes it).
// Content-addressed files may belong to several sessions, so they are not tied to one: they go
// when they are older than what the data cap leaves, like recordings. Anything else in the
// directory (temporary ".partial-" files, symlinks, other names) is neither counted nor removed.
#include <string>
#include <vector>

#include "app/retention_policy.hpp"
#include "common/result.hpp"

namespace hermes::app {

inline constexpr const char* kArtifactUnit = "artifact";

// A missing directory is an empty store (no session stored anything yet), not an error.
Result<std::vector<StoredUnit>> scan_artifacts(const std::string& dir);

}  // namespace hermes::app
