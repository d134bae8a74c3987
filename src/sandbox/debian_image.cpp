#include "sandbox/debian_image.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <fstream>
#include <set>

#include "sandbox/debian_base.hpp"
#include "sandbox/elf_check.hpp"
#include "sandbox/image_recipe.hpp"
#include "sandbox/overlay_layer.hpp"
#include "sandbox/tar_listing.hpp"
#include "sandbox/tar_writer.hpp"

namespace hermes::sandbox {
namespace {

namespace fs = std::filesystem;

// Reads a recipe file of at most `max_bytes`; a missing optional file reads as empty.
Result<std::string> read_recipe_file(const fs::path& path, std::size_t max_bytes, bool optional) {
  std::error_code ec;
  if (!fs::exists(path, ec)) {
    if (optional) return std::string();
    return fail("the recipe file " + path.string() + " is missing");
  }
  const auto size = fs::file_size(path, ec);
  if (ec) return fail("cannot read " + path.string() + ": " + ec.message());
  if (size > max_bytes) return fail(path.string() + " is larger than " + std::to_string(max_bytes) + " bytes");
  std::ifstream in(path, std::ios::binary);
  std::string content(static_cast<std::size_t>(size), '\0');
  if (!in.read(content.data(), static_cast<std::streamsize>(size))) return fail("cannot read " + path.string());
  return content;
}

Result<DebianBaseRecipe> load_base_recipe(const fs::path& dir) {
  DebianBaseRecipe recipe;
  auto packages = read_recipe_file(dir / "packages", 64 * 1024, false);
  if (!packages) return std::unexpected(packages.error());
  auto names = parse_package_list(*packages);
  if (!names) return fail((dir / "packages").string() + ": " + names.error().message);
  recipe.packages = std::move(*names);
  auto sources = read_recipe_file(dir / "sources.list", 16 * 1024, false);
  if (!sources) return std::unexpected(sources.error());
  recipe.sources_list = std::move(*sources);
  auto setup = read_recipe_file(dir / "setup.sh", 256 * 1024, true);
  if (!setup) return std::unexpected(setup.error());
  recipe.setup_script = std::move(*setup);
  return recipe;
}

// Walks the base once: its end marker, directories, symlinks and account tables.
Result<TarListing> list_base(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail("cannot read " + path);
  const TarRead read = [&in](char* buffer, std::size_t size) -> Result<std::size_t> {
    in.read(buffer, static_cast<std::streamsize>(size));
    if (in.bad()) return fail("read error");
    return static_cast<std::size_t>(in.gcount());
  };
  auto listing = list_tar(read, {"etc/passwd", "etc/group"});
  if (!listing) {
    return fail("the cached base " + path + " is not a usable tar (" + listing.error().message +
                "); delete it and build again");
  }
  return listing;
}

// The paths the tail writes.
Result<std::set<std::string>> list_tail(const std::string& tail) {
  std::size_t offset = 0;
  const TarRead read = [&](char* buffer, std::size_t size) -> Result<std::size_t> {
    const std::size_t n = std::min(size, tail.size() - offset);
    std::copy_n(tail.data() + offset, n, buffer);
    offset += n;
    return n;
  };
  auto listing = list_tar(read, {});
  if (!listing) return fail("the overlay tail is not a valid tar: " + listing.error().message);
  std::set<std::string> paths;
  for (const auto& [path, span] : listing->spans) paths.insert(path);
  return paths;
}

// [0, end marker) of the base minus the spans of the paths in `replaced`, ascending.
std::vector<std::pair<std::uint64_t, std::uint64_t>> ranges_without(const TarListing& base,
                                                                    const std::set<std::string>& replaced) {
  std::vector<std::pair<std::uint64_t, std::uint64_t>> holes;
  for (const auto& path : replaced) {
    if (const auto span = base.spans.find(path); span != base.spans.end()) holes.push_back(span->second);
  }
  std::sort(holes.begin(), holes.end());
  std::vector<std::pair<std::uint64_t, std::uint64_t>> ranges;
  std::uint64_t at = 0;
  for (const auto& [begin, end] : holes) {
    if (begin > at) ranges.emplace_back(at, begin);
    at = std::max(at, end);
  }
  if (base.end_offset > at) ranges.emplace_back(at, base.end_offset);
  return ranges;
}

std::time_t modification_time(const std::string& path, std::time_t fallback) {
  struct stat info{};
  return stat(path.c_str(), &info) == 0 ? info.st_mtime : fallback;
}

}  // namespace

Result<DebianImageParts> prepare_debian_image(const DebianImageInputs& in) {
  const auto progress = [&](std::string_view line) {
    if (in.progress) in.progress(line);
  };
  auto recipe = load_base_recipe(in.recipe_dir);
  if (!recipe) return std::unexpected(recipe.error());
  auto manifest_text = read_recipe_file(in.recipe_dir / "overlay.manifest", 256 * 1024, true);
  if (!manifest_text) return std::unexpected(manifest_text.error());
  auto rules = parse_overlay_manifest(*manifest_text);
  if (!rules) return std::unexpected(rules.error());
  auto init = read_static_executable(in.init_path, "hermes-init");
  if (!init) return std::unexpected(init.error());

  auto base = ensure_debian_base(*recipe, in.cache_dir, progress);
  if (!base) return std::unexpected(base.error());
  DebianImageParts parts;
  parts.base_tar = base->tar.string();
  auto listing = list_base(parts.base_tar);
  if (!listing) return std::unexpected(listing.error());
  progress("base: " + std::to_string(listing->entries) + " entries, " +
           std::to_string(listing->end_offset >> 20) + " MiB");

  // Files without an age of their own look as old as the installation.
  const std::time_t installed = modification_time(parts.base_tar, in.now);
  TarWriter tail(installed);
  OverlayInputs overlay;
  overlay.overlay_dir = in.recipe_dir / "overlay";
  overlay.rules = std::move(*rules);
  overlay.base = &*listing;
  overlay.install_time = installed;
  overlay.now = in.now;
  auto added = append_overlay(tail, overlay);
  if (!added) return std::unexpected(added.error());
  auto init_target = resolve_in_base("sbin/init", *listing);
  if (!init_target) return std::unexpected(init_target.error());
  TarAttributes init_attributes;
  init_attributes.mode = 0755;
  if (auto ok = tail.add_file(*init_target, *init, init_attributes); !ok) return std::unexpected(ok.error());
  progress("overlay: " + std::to_string(*added) + " entries; /sbin/init: hermes-init (" + *init_target + ")");
  parts.tail = std::move(tail).finish();
  auto replaced = list_tail(parts.tail);
  if (!replaced) return std::unexpected(replaced.error());
  parts.base_ranges = ranges_without(*listing, *replaced);
  for (const auto& [begin, end] : parts.base_ranges) parts.base_bytes += end - begin;
  return parts;
}

}  // namespace hermes::sandbox
