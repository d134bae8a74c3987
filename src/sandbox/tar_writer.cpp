#include "sandbox/tar_writer.hpp"

#include <algorithm>
#include <array>
#include <cstring>

namespace hermes::sandbox {
namespace {

constexpr std::size_t kBlock = 512;
constexpr std::size_t kNameSize = 100, kPrefixSize = 155, kLinkSize = 100;
// size is 11 octal digits: anything from 8 GiB on needs the GNU base-256 extension.
constexpr std::uint64_t kMaxFileSize = 077777777777ULL;

// Field offsets of the ustar header (POSIX.1-1988).
struct Field {
  std::size_t offset, size;
};
constexpr Field kName{0, 100}, kMode{100, 8}, kUid{108, 8}, kGid{116, 8}, kSize{124, 12},
    kMtime{136, 12}, kChecksum{148, 8}, kType{156, 1}, kLink{157, 100}, kMagic{257, 6},
    kVersion{263, 2}, kUname{265, 32}, kGname{297, 32}, kPrefix{345, 155};

using Header = std::array<char, kBlock>;

void put_text(Header& h, Field f, std::string_view text) {
  // std::copy_n rather than memcpy: an empty view may carry a null data pointer.
  std::copy_n(text.begin(), std::min(text.size(), f.size), h.begin() + static_cast<std::ptrdiff_t>(f.offset));
}

// Zero-padded octal filling all but the last byte, which stays NUL.
void put_octal(Header& h, Field f, std::uint64_t value) {
  for (std::size_t i = f.size - 1; i-- > 0;) {
    h[f.offset + i] = static_cast<char>('0' + (value & 7));
    value >>= 3;
  }
}

void put_checksum(Header& h) {
  // The checksum is computed with its own field read as spaces, then written as "ddddddd\0 "
  // style: six octal digits, NUL, space (what GNU tar writes and every reader accepts).
  std::memset(h.data() + kChecksum.offset, ' ', kChecksum.size);
  unsigned sum = 0;
  for (char c : h) sum += static_cast<unsigned char>(c);
  for (std::size_t i = 6; i-- > 0;) {
    h[kChecksum.offset + i] = static_cast<char>('0' + (sum & 7));
    sum >>= 3;
  }
  h[kChecksum.offset + 6] = '\0';
  h[kChecksum.offset + 7] = ' ';
}

Result<std::string> normalized_path(std::string_view path, bool directory) {
  while (!path.empty() && path.front() == '/') path.remove_prefix(1);
  while (!path.empty() && path.back() == '/') path.remove_suffix(1);
  if (path.empty()) return fail("tar entry has an empty path");
  if (path.find('\0') != std::string_view::npos) return fail("tar entry path contains NUL");
  std::size_t start = 0;
  for (;;) {
    const std::size_t slash = path.find('/', start);
    const std::string_view part = path.substr(start, slash - start);
    if (part.empty() || part == "." || part == "..") {
      return fail("tar entry path '" + std::string(path) + "' has an empty, '.' or '..' part");
    }
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  std::string out(path);
  if (directory) out += '/';  // how tar marks a directory's name
  return out;
}

// Splits `path` into ustar's prefix and name fields at a '/', or fails if no split fits.
Result<std::pair<std::string, std::string>> split_name(const std::string& path) {
  if (path.size() <= kNameSize) return std::pair{std::string(), path};
  // Rightmost slash that leaves at most 100 bytes of name; the trailing '/' of a directory
  // belongs to the name, never the split point.
  for (std::size_t slash = path.rfind('/', path.size() - 2); slash != std::string::npos;
       slash = slash == 0 ? std::string::npos : path.rfind('/', slash - 1)) {
    const std::size_t name_len = path.size() - slash - 1;
    if (name_len > kNameSize) break;  // moving left only makes the name longer
    if (slash <= kPrefixSize && slash > 0 && name_len > 0) {
      return std::pair{path.substr(0, slash), path.substr(slash + 1)};
    }
  }
  return fail("tar entry path is too long for ustar (" + std::to_string(path.size()) +
              " bytes): '" + path.substr(0, 60) + "...'");
}

}  // namespace

TarWriter::TarWriter(std::time_t mtime) : mtime_(std::max<std::time_t>(mtime, 0)) {}

Result<void> TarWriter::add_directory(std::string_view path, unsigned mode) {
  return add_directory(path, TarAttributes{.mode = mode});
}

Result<void> TarWriter::add_file(std::string_view path, std::string_view content, unsigned mode) {
  return add_file(path, content, TarAttributes{.mode = mode});
}

Result<void> TarWriter::add_symlink(std::string_view path, std::string_view target) {
  return add_symlink(path, target, TarAttributes{});
}

Result<void> TarWriter::add_directory(std::string_view path, const TarAttributes& attributes) {
  return add_entry(path, '5', attributes, {}, {});
}

Result<void> TarWriter::add_file(std::string_view path, std::string_view content,
                                 const TarAttributes& attributes) {
  if (content.size() > kMaxFileSize) return fail("tar entry is too large: " + std::string(path));
  return add_entry(path, '0', attributes, content, {});
}

Result<void> TarWriter::add_symlink(std::string_view path, std::string_view target,
                                    const TarAttributes& attributes) {
  if (target.empty() || target.size() > kLinkSize || target.find('\0') != std::string_view::npos) {
    return fail("symlink target for '" + std::string(path) + "' must be 1 to 100 bytes without NUL");
  }
  TarAttributes link = attributes;
  link.mode = 0777;
  return add_entry(path, '2', link, {}, target);
}

Result<void> TarWriter::add_entry(std::string_view raw_path, char type, const TarAttributes& attributes,
                                  std::string_view content, std::string_view link_target) {
  const unsigned mode = attributes.mode;
  if (mode > 07777) return fail("tar entry mode " + std::to_string(mode) + " is not a permission mode");
  // 7 octal digits: ids up to 2097151, far above what a rootfs uses.
  if (attributes.uid > 07777777 || attributes.gid > 07777777) {
    return fail("tar entry owner " + std::to_string(attributes.uid) + ":" +
                std::to_string(attributes.gid) + " is out of range");
  }
  auto path = normalized_path(raw_path, type == '5');
  if (!path) return std::unexpected(path.error());
  auto names = split_name(*path);
  if (!names) return std::unexpected(names.error());

  Header h{};
  put_text(h, kName, names->second);
  put_octal(h, kMode, mode);
  put_octal(h, kUid, attributes.uid);
  put_octal(h, kGid, attributes.gid);
  put_octal(h, kSize, content.size());
  const std::time_t mtime = attributes.mtime ? std::max<std::time_t>(*attributes.mtime, 0) : mtime_;
  put_octal(h, kMtime, static_cast<std::uint64_t>(mtime));
  h[kType.offset] = type;
  put_text(h, kLink, link_target);
  put_text(h, kMagic, std::string_view("ustar\0", 6));
  put_text(h, kVersion, "00");
  // Names only for root: the importer goes by the numbers, and other names are the image's own.
  if (attributes.uid == 0) put_text(h, kUname, "root");
  if (attributes.gid == 0) put_text(h, kGname, "root");
  put_text(h, kPrefix, names->first);
  put_checksum(h);

  archive_.append(h.data(), h.size());
  archive_.append(content);
  archive_.append((kBlock - content.size() % kBlock) % kBlock, '\0');  // pad to a whole block
  return {};
}

std::string TarWriter::finish() && {
  archive_.append(2 * kBlock, '\0');
  return std::move(archive_);
}

}  // namespace hermes::sandbox
