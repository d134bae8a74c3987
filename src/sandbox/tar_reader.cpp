#include "sandbox/tar_reader.hpp"

#include <algorithm>
#include <charconv>

#include "sandbox/tar_format.hpp"

namespace hermes::sandbox {
namespace {

std::uint64_t padding_after(std::uint64_t size) { return (kTarBlock - size % kTarBlock) % kTarBlock; }

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
        const std::size_t take = std::min(kTarBlock - block_.size(), bytes.size());
        block_.append(bytes.substr(0, take));
        bytes.remove_prefix(take);
        if (block_.size() == kTarBlock)
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
  if (is_zero_tar_block(block)) {
    state_ = State::done;
    return {};
  }
  if (!tar_checksum_matches(block)) return failure("tar: header checksum mismatch");
  auto size = tar_number(block.substr(kTarSize.offset, kTarSize.length));
  if (!size) return failure(size.error().message);

  char type = block[kTarTypeflag];
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
    const auto name = tar_text(block, kTarName);
    const auto prefix = tar_text(block, kTarPrefix);
    const bool ustar = block.substr(kTarMagic.offset, 5) == "ustar";
    entry.name = (ustar && !prefix.empty()) ? std::string(prefix) + "/" + std::string(name) : std::string(name);
  }
  pending_name_.clear();
  pending_size_set_ = false;
  if (header_only(type)) entry.size = 0;
  if (entry.size > kMaxTarNumber) return failure("tar: entry too large");
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
  auto applied = for_each_pax_record(record, [this](std::string_view key, std::string_view value) -> Result<void> {
    if (key == "path") {
      if (value.find('\0') != std::string_view::npos || value.size() > kMaxName) return fail("tar: bad pax path");
      pending_name_ = std::string(value);
    } else if (key == "size") {
      std::uint64_t size = 0;
      const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), size);
      if (ec != std::errc() || end != value.data() + value.size() || size > kMaxTarNumber) {
        return fail("tar: bad pax size");
      }
      pending_size_ = size;
      pending_size_set_ = true;
    }
    return {};
  });
  if (!applied) return failure(applied.error().message);
  return {};
}

}  // namespace hermes::sandbox
