#include "sandbox/tar_listing.hpp"

#include <algorithm>
#include <array>
#include <optional>
#include <vector>

#include "sandbox/tar_format.hpp"

namespace hermes::sandbox {
namespace {

using Block = std::array<char, kTarBlock>;

// Reads exactly whole blocks from the source, counting the offset.
class BlockSource {
 public:
  explicit BlockSource(const TarRead& read) : read_(read) {}

  // false at a clean end of input (no byte of the block read).
  Result<bool> next(Block& block) {
    std::size_t got = 0;
    while (got < kTarBlock) {
      auto n = read_(block.data() + got, kTarBlock - got);
      if (!n) return std::unexpected(n.error());
      if (*n == 0) break;
      got += *n;
    }
    if (got == 0) return false;
    if (got != kTarBlock) return fail("tar archive ends inside a block at offset " + std::to_string(offset_));
    offset_ += kTarBlock;
    return true;
  }

  // Reads `size` bytes of entry content (rounded up to whole blocks), keeping at most `keep`.
  Result<std::string> content(std::uint64_t size, std::size_t keep) {
    std::string kept;
    Block block;
    for (std::uint64_t left = size; left > 0;) {
      auto more = next(block);
      if (!more) return std::unexpected(more.error());
      if (!*more) return fail("tar archive ends inside an entry's content");
      const std::size_t used = static_cast<std::size_t>(std::min<std::uint64_t>(left, kTarBlock));
      if (kept.size() < keep) kept.append(block.data(), std::min(used, keep - kept.size()));
      left -= used;
    }
    return kept;
  }

  std::uint64_t offset() const { return offset_; }

 private:
  const TarRead& read_;
  std::uint64_t offset_ = 0;
};

std::string_view view(const Block& block) { return {block.data(), block.size()}; }

// Names a pax 'x' header or GNU 'L'/'K' entries give the next entry.
struct PaxNames {
  std::optional<std::string> path, linkpath;
};

}  // namespace

std::string normalize_tar_path(std::string_view path) {
  std::string out;
  std::size_t pos = 0;
  while (pos <= path.size()) {
    std::size_t slash = path.find('/', pos);
    if (slash == std::string_view::npos) slash = path.size();
    const std::string_view part = path.substr(pos, slash - pos);
    if (!part.empty() && part != ".") {
      if (!out.empty()) out += '/';
      out.append(part);
    }
    pos = slash + 1;
  }
  return out;
}

Result<TarListing> list_tar(const TarRead& read, const std::set<std::string>& capture,
                            const TarListingLimits& limits) {
  BlockSource source(read);
  TarListing listing;
  PaxNames pending;  // from a pax 'x' header or GNU 'L'/'K' entries, for the next entry
  std::optional<std::uint64_t> entry_start;  // where the pending extended headers began
  Block header;
  for (;;) {
    const std::uint64_t header_offset = source.offset();
    if (!entry_start) entry_start = header_offset;
    auto more = source.next(header);
    if (!more) return std::unexpected(more.error());
    if (!*more) return fail("tar archive has no end-of-archive marker (truncated?)");
    if (is_zero_tar_block(view(header))) {
      listing.end_offset = header_offset;
      return listing;
    }
    if (!tar_checksum_matches(view(header))) return fail("tar header checksum mismatch (not a tar archive, or damaged)");
    if (++listing.entries > limits.max_entries) return fail("tar archive has too many entries");
    auto size = tar_number(view(header).substr(kTarSize.offset, kTarSize.length));
    if (!size) return std::unexpected(size.error());
    const char type = header[kTarTypeflag];

    if (type == 'x' || type == 'L' || type == 'K') {
      if (*size > limits.max_extended_header) return fail("tar extended header is too large");
      auto text = source.content(*size, limits.max_extended_header);
      if (!text) return std::unexpected(text.error());
      if (type == 'x') {
        auto applied = for_each_pax_record(*text, [&](std::string_view key, std::string_view value) -> Result<void> {
          if (key == "path") pending.path = std::string(value);
          if (key == "linkpath") pending.linkpath = std::string(value);
          return {};
        });
        if (!applied) return std::unexpected(applied.error());
      } else {
        std::string name = text->substr(0, text->find('\0'));
        (type == 'L' ? pending.path : pending.linkpath) = std::move(name);
      }
      continue;
    }

    std::string name;
    if (pending.path) {
      name = *pending.path;
    } else {
      const bool ustar = tar_text(view(header), kTarMagic) == "ustar";  // POSIX "ustar\0", not GNU "ustar "
      const std::string_view prefix = ustar ? tar_text(view(header), kTarPrefix) : std::string_view();
      const std::string_view base = tar_text(view(header), kTarName);
      name = prefix.empty() ? std::string(base) : std::string(prefix) + "/" + std::string(base);
    }
    const std::string link = pending.linkpath ? *pending.linkpath : std::string(tar_text(view(header), kTarLink));
    pending = PaxNames{};
    const std::string path = normalize_tar_path(name);
    const std::uint64_t start = *entry_start;
    entry_start.reset();

    // Links, devices, directories and FIFOs carry no content; anything else (regular, contiguous,
    // sparse, vendor types) is read as a file, as POSIX asks of unknown types.
    const bool has_content = !(type >= '1' && type <= '6');
    const std::uint64_t content_size = has_content ? *size : 0;
    const bool wanted = (type == '0' || type == '\0') && capture.contains(path);
    if (wanted && content_size > limits.max_captured_bytes) {
      return fail("tar entry " + path + " is larger than " + std::to_string(limits.max_captured_bytes) + " bytes");
    }
    auto content = source.content(content_size, wanted ? limits.max_captured_bytes : 0);
    if (!content) return std::unexpected(content.error());
    if (wanted) listing.captured[path] = std::move(*content);
    if (path.empty()) continue;
    listing.spans[path] = {start, source.offset()};
    if (type == '5') listing.directories.insert(path);
    if (type == '2') listing.symlinks[path] = link;
    if (type != '5') listing.directories.erase(path);  // a later entry replaces an earlier one
    if (type != '2') listing.symlinks.erase(path);
  }
}

}  // namespace hermes::sandbox
