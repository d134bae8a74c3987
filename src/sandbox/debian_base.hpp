#pragma once
// The slow, cached half of `hermes image build --profile debian`: a Debian 12 root filesystem made
// with debootstrap (minbase), the recipe's packages installed and upgraded from bookworm-updates
// and bookworm-security, the recipe's setup script run in it, all packed as one tar file in the
// image cache. The file's name carries a hash of everything that went into it, so an unchanged
// recipe reuses it; it appears (by rename) only when complete.
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"

namespace hermes::sandbox {

struct DebianBaseRecipe {
  std::vector<std::string> packages;  // parse_package_list
  std::string sources_list;           // installed as /etc/apt/sources.list before apt runs
  std::string setup_script;           // run by /bin/sh in the rootfs, last
};

// Hex SHA-256 over the release, mirror, the recipe's parts and the build steps' version.
std::string debian_base_key(const DebianBaseRecipe& recipe);

// $HERMES_IMAGE_CACHE, else $XDG_CACHE_HOME/hermes, else $HOME/.cache/hermes, else
// /var/cache/hermes.
std::filesystem::path default_image_cache_dir();

struct DebianBase {
  std::filesystem::path tar;  // <cache>/debian-base-<key>.tar
  bool reused = false;
};

// Returns the cached base for this recipe, building it first when missing (needs root: debootstrap
// and chroot; minutes). Progress goes to `progress` one line at a time.
Result<DebianBase> ensure_debian_base(const DebianBaseRecipe& recipe, const std::filesystem::path& cache_dir,
                                      const std::function<void(std::string_view)>& progress);

}  // namespace hermes::sandbox
