#pragma once
// The "debian" target profile: the cached Debian 12 base (debian_base.hpp) plus, on every build,
// the recipe's overlay and hermes-init as /sbin/init, appended as a small in-memory tar tail.
// The import streams the base file and then the tail, so a rebuild after an overlay or
// hermes-init change costs the import only (tens of seconds), not a debootstrap.
#include <cstdint>
#include <ctime>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.hpp"

namespace hermes::sandbox {

struct DebianImageInputs {
  std::filesystem::path recipe_dir;  // images/debian: packages, sources.list, setup.sh, overlay/...
  std::filesystem::path cache_dir;   // default_image_cache_dir()
  std::string init_path;             // static hermes-init
  std::time_t now = 0;
  std::function<void(std::string_view)> progress;  // may be empty
};

struct DebianImageParts {
  std::string base_tar;         // the cached base
  // The base's bytes to send: up to its end-of-archive marker, without the entries of paths the
  // tail writes again (Docker's import refuses a path twice).
  std::vector<std::pair<std::uint64_t, std::uint64_t>> base_ranges;
  std::uint64_t base_bytes = 0;  // their total
  std::string tail;             // overlay, /sbin/init and the end-of-archive marker
};

Result<DebianImageParts> prepare_debian_image(const DebianImageInputs& inputs);

}  // namespace hermes::sandbox
