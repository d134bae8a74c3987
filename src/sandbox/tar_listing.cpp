#include "sandbox/tar_listing.hpp"

#include <algorithm>
#include <array>
#include <optional>
#include <vector>

namespace hermes::sandbox {
namespace {

constexpr std::size_t kBlock = 512;
using Block = std::array<char, kBlock>;

// Reads exactly whole blocks from the source, counting the offset.
class BlockSource {
 public:
  explicit BlockSource(const TarRead& read) : read_(read) {}

  // false at a clean end of input (no byte of the block read).
  Result<bool> next(Block& block) {
    std::size_t got = 0;
    while (got < kBlock) {
      auto n = read_(block.data() + got, kBlock - got);
      if (!n) return std::unexpected(n.error());
      if (*n == 0) break;
      got += *n;
    }
    if (got == 0) return false;
    if (got != kBlock) return fail("tar archive ends inside a block at offset " + std::to_string(offset_));
    offset_ += kBlock;
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
      const std::size_t used = static_cast<std::size_t>(std::min<std::uint64_t>(left, kBlock));
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

std::string_view field(const Block& block, std::size_t offset, std::size_t size) {
  std::string_view text(block.data() + offset, size);
  return text.substr(0, text.find('\0'));
}

// Octal (spaces and NULs around it allowed) or GNU base-256 (high bit of the first byte).
Result<std::uint64_t> numeric_field(const Block& block, std::size_t offset, std::size_t size) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(block.data() + offset);
  std::uint64_t value = 0;
  if (bytes[0] & 0x80) {
    if (bytes[0] != 0x80) return fail("tar header has a negative or huge base-256 number");
    for (std::size_t i = 1; i < size; ++i) {
      if (value >> 56) return fail("tar header number overflows");
      value = (value << 8) | bytes[i];
    }
    return value;
  }
  std::size_t i = 0;
  while (i < size && bytes[i] == ' ') ++i;
  for (; i < size && bytes[i] >= '0' && bytes[i] <= '7'; ++i) {
    if (value >> 60) return fail("tar header number overflows");
    value = value * 8 + (bytes[i] - '0');
  }
  for (; i < size; ++i) {
    if (bytes[i] != ' ' && bytes[i] != '\0') return fail("tar header has a malformed number");
  }
  return value;
}

bool is_zero_block(const Block& block) {
  return std::all_of(block.begin(), block.end(), [](char c) { return c == '\0'; });
}

Result<void> check_checksum(const Block& block) {
  auto stored = numeric_field(block, 148, 8);
  if (!stored) return std::unexpected(stored.error());
  std::uint64_t sum = 0;
  for (std::size_t i = 0; i < kBlock; ++i) {
    sum += (i >= 148 && i < 156) ? ' ' : static_cast<unsigned char>(block[i]);
  }
  if (sum != *stored) return fail("tar header checksum mismatch (not a tar archive, or damaged)");
  return {};
}

// pax extended header records: "<length> <key>=<value>\n", length counting the whole record.
struct PaxNames {
  std::optional<std::string> path, linkpath;
};

Result<PaxNames> parse_pax(std::string_view records) {
  PaxNames names;
  while (!records.empty()) {
    const std::size_t space = records.find(' ');
    if (space == std::string_view::npos || space == 0 || space > 9) return fail("malformed pax record length");
    std::size_t length = 0;
    for (char c : records.substr(0, space)) {
      if (c < '0' || c > '9') return fail("malformed pax record length");
      length = length * 10 + static_cast<std::size_t>(c - '0');
    }
    if (length <= space + 1 || length > records.size() || records[length - 1] != '\n') {
      return fail("malformed pax record");
    }
    const std::string_view record = records.substr(space + 1, length - space - 2);
    records.remove_prefix(length);
    const std::size_t equals = record.find('=');
    if (equals == std::string_view::npos) return fail("pax record without '='");
    const std::string_view key = record.substr(0, equals);
    const std::string_view value = record.substr(equals + 1);
    if (key == "path") names.path = std::string(value);
    if (key == "linkpath") names.linkpath = std::string(value);
  }
  return names;
}

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
    if (is_zero_block(header)) {
      listing.end_offset = header_offset;
      return listing;
    }
    if (auto ok = check_checksum(header); !ok) return std::unexpected(ok.error());
    if (++listing.entries > limits.max_entries) return fail("tar archive has too many entries");
    auto size = numeric_field(header, 124, 12);
    if (!size) return std::unexpected(size.error());
    const char type = header[156];

    if (type == 'x' || type == 'L' || type == 'K') {
      if (*size > limits.max_extended_header) return fail("tar extended header is too large");
      auto text = source.content(*size, limits.max_extended_header);
      if (!text) return std::unexpected(text.error());
      if (type == 'x') {
        auto pax = parse_pax(*text);
        if (!pax) return std::unexpected(pax.error());
        if (pax->path) pending.path = std::move(pax->path);
        if (pax->linkpath) pending.linkpath = std::move(pax->linkpath);
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
      const bool ustar = field(header, 257, 6) == "ustar";  // POSIX "ustar\0", not GNU "ustar "
      const std::string_view prefix = ustar ? field(header, 345, 155) : std::string_view();
      name = prefix.empty() ? std::string(field(header, 0, 100))
                            : std::string(prefix) + "/" + std::string(field(header, 0, 100));
    }
    const std::string link = pending.linkpath ? *pending.linkpath : std::string(field(header, 157, 100));
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
