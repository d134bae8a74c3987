#include "sandbox/tar_reader.hpp"

#include <algorithm>
#include <charconv>

namespace hermes::sandbox {
namespace {

constexpr std::size_t kBlock = 512;
// Sizes above this are nonsense for a container file and could overflow padding arithmetic.
constexpr std::uint64_t kMaxEntrySize = std::uint64_t{1} << 50;

struct Field {
  std::size_t offset, length;
};
constexpr Field kName{0, 100}, kSize{124, 12}, kChecksum{148, 8}, kMagic{257, 6}, kPrefix{345, 155};
constexpr std::size_t kTypeflag = 156;

std::string_view field(std::string_view block, Field f) { return block.substr(f.offset, f.length); }

// A NUL-terminated text field (or the whole field when it has no NUL).
std::string_view text_field(std::string_view block, Field f) {
  auto text = field(block, f);
  return text.substr(0, text.find('\0'));
}

// Octal with optional leading spaces and NUL/space terminators, or GNU base-256 (high bit set).
Result<std::uint64_t> numeric_field(std::string_view raw) {
  if (!raw.empty() && (static_cast<unsigned char>(raw[0]) & 0x80)) {
    if (static_cast<unsigned char>(raw[0]) & 0x40) return fail("tar: negative number");
    std::uint64_t value = static_cast<unsigned char>(raw[0]) & 0x3f;
    for (std::size_t i = 1; i < raw.size(); ++i) {
      if (value > (kMaxEntrySize >> 8)) return fail("tar: number too large");
      value = (value << 8) | static_cast<unsigned char>(raw[i]);
    }
    return value;
  }
  std::size_t i = 0;
  while (i < raw.size() && raw[i] == ' ') ++i;
  std::uint64_t value = 0;
  bool digits = false;
  for (; i < raw.size() && raw[i] >= '0' && raw[i] <= '7'; ++i) {
    if (value > (kMaxEntrySize >> 3)) return fail("tar: number too large");
    value = value * 8 + static_cast<std::uint64_t>(raw[i] - '0');
    digits = true;
  }
  for (; i < raw.size(); ++i)
    if (raw[i] != ' ' && raw[i] != '\0') return fail("tar: malformed number");
  if (!digits) return std::uint64_t{0};
  return value;
}

bool all_zero(std::string_view block) {
  return std::all_of(block.begin(), block.end(), [](char c) { return c == '\0'; });
}

bool checksum_matches(std::string_view block, std::uint64_t stored) {
  std::uint64_t unsigned_sum = 0;
  std::int64_t signed_sum = 0;
  for (std::size_t i = 0; i < kBlock; ++i) {
    const bool in_field = i >= kChecksum.offset && i < kChecksum.offset + kChecksum.length;
    const char c = in_field ? ' ' : block[i];
    unsigned_sum += static_cast<unsigned char>(c);
    signed_sum += static_cast<signed char>(c);
  }
  return stored == unsigned_sum || static_cast<std::int64_t>(stored) == signed_sum;
}

std::uint64_t padding_after(std::uint64_t size) { return (kBlock - size % kBlock) % kBlock; }

// Types whose size field carries no content (as Go's archive/tar, which wrote the archive).
bool header_only(char type) { return type >= '1' && type <= '6'; }

}  // namespace

TarReader::TarReader(Handler handler) : handler_(std::move(handler)) {}

Result<void> TarReader::failure(std::string message) {
  state_ = State::failed;
  return fail(std::move(message));
}

Result<void> TarReader::feed(std::string_view bytes) {
  while (!bytes.empty()) {
    switch (state_) {
      case State::failed:
        return fail("tar: reader already failed");
      case State::done:
        return {};  // whatever follows the end marker (more zero blocks) is not read
      case State::header: {
        const std::size_t take = std::min(kBlock - block_.size(), bytes.size());
        block_.append(bytes.substr(0, take));
        bytes.remove_prefix(take);
        if (block_.size() == kBlock)
          if (auto ok = take_header(); !ok) return ok;
        break;
      }
      case State::metadata: {
        const std::size_t take = static_cast<std::size_t>(std::min<std::uint64_t>(remaining_, bytes.size()));
        block_.append(bytes.substr(0, take));
        bytes.remove_prefix(take);
        remaining_ -= take;
        if (remaining_ == 0)
          if (auto ok = take_metadata(); !ok) return ok;
        break;
      }
      case State::content: {
        const std::size_t take = static_cast<std::size_t>(std::min<std::uint64_t>(remaining_, bytes.size()));
        remaining_ -= take;
        if (current_.regular() && handler_.on_data)
          if (auto ok = handler_.on_data(bytes.substr(0, take)); !ok) return failure(ok.error().message);
        bytes.remove_prefix(take);
        if (remaining_ == 0)
          if (auto ok = end_content(); !ok) return ok;
        break;
      }
      case State::padding: {
        const std::size_t take = static_cast<std::size_t>(std::min<std::uint64_t>(padding_, bytes.size()));
        padding_ -= take;
        bytes.remove_prefix(take);
        if (padding_ == 0) state_ = State::header;
        break;
      }
    }
  }
  return {};
}

Result<void> TarReader::take_header() {
  const std::string block = std::move(block_);
  block_.clear();
  if (all_zero(block)) {
    state_ = State::done;
    return {};
  }
  auto checksum = numeric_field(field(block, kChecksum));
  if (!checksum || !checksum_matches(block, *checksum)) return failure("tar: header checksum mismatch");
  auto size = numeric_field(field(block, kSize));
  if (!size) return failure(size.error().message);

  char type = block[kTypeflag];
  if (type == '\0') type = '0';
  if (type == 'x' || type == 'g' || type == 'L' || type == 'K') {
    if (*size > kMaxMetadataRecord) return failure("tar: metadata record too large");
    metadata_type_ = type;
    remaining_ = *size;
    padding_ = padding_after(*size);
    state_ = State::metadata;
    if (remaining_ == 0) return take_metadata();
    return {};
  }

  TarEntry entry;
  entry.type = type;
  entry.size = pending_size_set_ ? pending_size_ : *size;
  if (!pending_name_.empty()) {
    entry.name = std::move(pending_name_);
  } else {
    const auto name = text_field(block, kName);
    const auto prefix = text_field(block, kPrefix);
    const bool ustar = field(block, kMagic).substr(0, 5) == "ustar";
    entry.name = (ustar && !prefix.empty()) ? std::string(prefix) + "/" + std::string(name) : std::string(name);
  }
  pending_name_.clear();
  pending_size_set_ = false;
  if (header_only(type)) entry.size = 0;
  if (entry.size > kMaxEntrySize) return failure("tar: entry too large");
  return begin_entry(std::move(entry));
}

Result<void> TarReader::begin_entry(TarEntry entry) {
  current_ = std::move(entry);
  if (handler_.on_entry)
    if (auto ok = handler_.on_entry(current_); !ok) return failure(ok.error().message);
  remaining_ = current_.size;
  padding_ = padding_after(current_.size);
  state_ = State::content;
  if (remaining_ == 0) return end_content();
  return {};
}

Result<void> TarReader::end_content() {
  if (handler_.on_entry_end)
    if (auto ok = handler_.on_entry_end(current_); !ok) return failure(ok.error().message);
  state_ = padding_ == 0 ? State::header : State::padding;
  return {};
}

// Applies a pax extended header ("LEN key=value\n" records: path and size are used) or a GNU
// long name to the next entry; global headers and long link names are read and ignored.
Result<void> TarReader::take_metadata() {
  const std::string record = std::move(block_);
  block_.clear();
  state_ = padding_ == 0 ? State::header : State::padding;
  if (metadata_type_ == 'L') {
    pending_name_ = record.substr(0, record.find('\0'));
    if (pending_name_.size() > kMaxName) return failure("tar: long name too long");
    return {};
  }
  if (metadata_type_ != 'x') return {};
  std::string_view rest(record);
  while (!rest.empty()) {
    if (rest.find_first_not_of('\0') == std::string_view::npos) break;  // zero fill
    const auto space = rest.find(' ');
    if (space == std::string_view::npos || space == 0) return failure("tar: malformed pax record");
    std::size_t length = 0;
    const auto [end, ec] = std::from_chars(rest.data(), rest.data() + space, length);
    if (ec != std::errc() || end != rest.data() + space || length <= space + 1 || length > rest.size() ||
        rest[length - 1] != '\n') {
      return failure("tar: malformed pax record");
    }
    const std::string_view item = rest.substr(space + 1, length - space - 2);
    rest.remove_prefix(length);
    const auto equals = item.find('=');
    if (equals == std::string_view::npos) return failure("tar: malformed pax record");
    const auto key = item.substr(0, equals);
    const auto value = item.substr(equals + 1);
    if (key == "path") {
      if (value.find('\0') != std::string_view::npos || value.size() > kMaxName)
        return failure("tar: bad pax path");
      pending_name_ = std::string(value);
    } else if (key == "size") {
      std::uint64_t size = 0;
      const auto [vend, vec] = std::from_chars(value.data(), value.data() + value.size(), size);
      if (vec != std::errc() || vend != value.data() + value.size() || size > kMaxEntrySize)
        return failure("tar: bad pax size");
      pending_size_ = size;
      pending_size_set_ = true;
    }
  }
  return {};
}

}  // namespace hermes::sandbox
