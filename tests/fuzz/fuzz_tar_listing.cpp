// `hermes image build --profile debian` walks the cached base tar (list_tar) before streaming it
// to Docker. A damaged or hostile file must give an Error, never a crash or a hang, and an
// accepted listing must be self-consistent:
//   - the end marker sits on a block boundary inside the input;
//   - paths are normalized (no leading '/', no "./", no empty parts);
//   - captured contents are no larger than the limit and belong to the paths asked for.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "sandbox/tar_listing.hpp"

namespace {

void require(bool condition) {
  if (!condition) std::abort();
}

void require_normalized(const std::string& path) {
  require(!path.empty() && path.front() != '/' && path.back() != '/');
  require(path.find("//") == std::string::npos);
  require(hermes::sandbox::normalize_tar_path(path) == path);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  std::size_t offset = 0;
  // Odd piece sizes exercise reads that end inside a block.
  const hermes::sandbox::TarRead read = [&](char* buffer, std::size_t want) -> hermes::Result<std::size_t> {
    const std::size_t n = std::min({want, input.size() - offset, std::size_t{333}});
    std::copy_n(input.data() + offset, n, buffer);
    offset += n;
    return n;
  };
  hermes::sandbox::TarListingLimits limits;
  limits.max_captured_bytes = 4096;
  limits.max_extended_header = 8192;
  auto listing = hermes::sandbox::list_tar(read, {"etc/passwd", "etc/group"}, limits);
  if (!listing) return 0;
  require(listing->end_offset % 512 == 0);
  require(listing->end_offset + 512 <= size);
  for (const auto& dir : listing->directories) require_normalized(dir);
  for (const auto& [path, target] : listing->symlinks) require_normalized(path);
  for (const auto& [path, content] : listing->captured) {
    require(path == "etc/passwd" || path == "etc/group");
    require(content.size() <= limits.max_captured_bytes);
  }
  return 0;
}
