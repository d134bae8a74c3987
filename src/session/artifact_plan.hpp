#pragma once
// Which of a container's changes become artifact events, in what order: pure, so the rules are
// tested without an engine. Docker's change list mixes files and directories and does not say
// which is which; a path that is the parent of another listed path is a directory and is left
// out (a leaf directory is recognised later, when its archive does not hold a regular file).
// Files hermes-init preserved from tmpfs (init/tmpfs_preserve.hpp) are reported under their
// original path as created.
#include <string>
#include <string_view>
#include <vector>

#include "sandbox/container_changes.hpp"

namespace hermes::session {

enum class FileChange { created, modified, deleted };

struct PlannedFile {
  std::string container_path;  // what to fetch from the stopped container
  std::string filename;        // what the attacker saw: /tmp/y for a preserved tmpfs file
  FileChange change;
};

// The event id of a change: hermes.session.file_created / _modified / _deleted.
std::string_view file_event_id(FileChange change);

// Created and modified files first (tmpfs ones included), then deletions, each in path order.
std::vector<PlannedFile> plan_artifacts(const std::vector<sandbox::ContainerChange>& changes,
                                        std::string_view preserve_store);

}  // namespace hermes::session
