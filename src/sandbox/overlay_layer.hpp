#pragma once
// Appends a recipe's overlay directory (images/<profile>/overlay/) to an image's tar: every file
// as it is in the source tree, owned by root with its own mode unless overlay.manifest says
// otherwise, directories 0755. Entries go after the base rootfs's, so they replace its files.
// Directories the base already has are left alone (their owner and mode stay the base's) unless
// the manifest names them; paths through a symlinked directory of the base (merged /usr: /sbin ->
// usr/sbin) are written to where the symlink leads.
#include <ctime>
#include <filesystem>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "sandbox/image_recipe.hpp"
#include "sandbox/tar_listing.hpp"
#include "sandbox/tar_writer.hpp"

namespace hermes::sandbox {

struct OverlayInputs {
  std::filesystem::path overlay_dir;  // may be missing: nothing to add
  std::vector<OverlayRule> rules;
  const TarListing* base = nullptr;   // directories, symlinks, /etc/passwd and /etc/group
  std::time_t install_time = 0;       // mtime of entries without an age
  std::time_t now = 0;                // ages count back from here
};

// `path` ("sbin/init") as it lands in the base: directory components that are symlinks in the
// base are followed (at most 40 hops, never above the root).
Result<std::string> resolve_in_base(const std::string& path, const TarListing& base);

// Returns how many entries were added.
Result<std::size_t> append_overlay(TarWriter& tar, const OverlayInputs& inputs);

}  // namespace hermes::sandbox
