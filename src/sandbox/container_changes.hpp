#pragma once
// GET /containers/{id}/changes: what a container changed in its filesystem, as the engine lists
// it (the writable layer against the image; tmpfs mounts are not part of it). Paths come from
// the attacker: only their length and the entry count are bounded here, nothing is trusted.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"

namespace hermes::sandbox {

enum class ChangeKind { modified = 0, added = 1, deleted = 2 };

struct ContainerChange {
  std::string path;
  ChangeKind kind;
};

// Upper bound of entries taken from one answer; the rest are counted, not kept.
inline constexpr std::size_t kMaxContainerChanges = 200000;
// Linux PATH_MAX; longer paths cannot be fetched by name anyway and are dropped (counted).
inline constexpr std::size_t kMaxChangePath = 4096;

struct ContainerChanges {
  std::vector<ContainerChange> entries;
  std::size_t dropped = 0;  // entries over the bounds above or of an unknown shape
};

// The engine answers `null` (nothing changed) or an array of {"Path": text, "Kind": 0|1|2}.
// Anything else is an Error; odd entries inside a good array are dropped and counted.
Result<ContainerChanges> parse_container_changes(std::string_view body);

}  // namespace hermes::sandbox
