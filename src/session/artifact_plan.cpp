#include "session/artifact_plan.hpp"

#include <algorithm>
#include <array>
#include <unordered_set>

namespace hermes::session {
namespace {

std::string_view parent_of(std::string_view path) {
  const auto slash = path.rfind('/');
  if (slash == std::string_view::npos || slash == 0) return "/";
  return path.substr(0, slash);
}

// "/.hermes-tmpfs/tmp/y" -> "/tmp/y"; empty when the path is not a preserved tmpfs file.
std::string preserved_original(std::string_view path, std::string_view store) {
  static constexpr std::array<std::string_view, 2> kRoots{"/tmp/", "/dev/shm/"};
  if (store.empty() || !path.starts_with(store)) return {};
  const auto rest = path.substr(store.size());
  for (const auto root : kRoots)
    if (rest.starts_with(root) && rest.size() > root.size()) return std::string(rest);
  return {};
}

// The store directory itself or anything below it.
bool in_store(std::string_view path, std::string_view store) {
  if (store.empty() || !path.starts_with(store)) return false;
  return path.size() == store.size() || path[store.size()] == '/';
}

}  // namespace

std::string_view file_event_id(FileChange change) {
  switch (change) {
    case FileChange::created:
      return "hermes.session.file_created";
    case FileChange::modified:
      return "hermes.session.file_modified";
    case FileChange::deleted:
      return "hermes.session.file_deleted";
  }
  return "hermes.session.file_modified";
}

std::vector<PlannedFile> plan_artifacts(const std::vector<sandbox::ContainerChange>& changes,
                                        std::string_view preserve_store) {
  // Every listed path's parent is a directory (the engine lists each changed ancestor too).
  std::unordered_set<std::string_view> directories;
  for (const auto& change : changes) directories.insert(parent_of(change.path));

  std::vector<PlannedFile> files, deletions;
  for (const auto& change : changes) {
    if (change.kind == sandbox::ChangeKind::deleted) {
      // hermes-init removes Docker's marker at every boot (docs/deception.md): not the attacker.
      const bool ours = change.path == "/.dockerenv" || in_store(change.path, preserve_store);
      if (!ours) deletions.push_back({change.path, change.path, FileChange::deleted});
      continue;
    }
    if (directories.contains(change.path)) continue;
    if (in_store(change.path, preserve_store)) {
      auto original = preserved_original(change.path, preserve_store);
      if (!original.empty()) files.push_back({change.path, std::move(original), FileChange::created});
      continue;  // the store itself, its ".part" and anything odd in it
    }
    const auto kind = change.kind == sandbox::ChangeKind::added ? FileChange::created : FileChange::modified;
    files.push_back({change.path, change.path, kind});
  }
  auto by_name = [](const PlannedFile& a, const PlannedFile& b) { return a.filename < b.filename; };
  std::sort(files.begin(), files.end(), by_name);
  std::sort(deletions.begin(), deletions.end(), by_name);
  files.insert(files.end(), std::make_move_iterator(deletions.begin()), std::make_move_iterator(deletions.end()));
  return files;
}

}  // namespace hermes::session
