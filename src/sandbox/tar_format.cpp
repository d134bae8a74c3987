#include "sandbox/tar_format.hpp"

#include <algorithm>
#include <charconv>

namespace hermes::sandbox {

std::string_view tar_text(std::string_view block, TarField field) {
  const std::string_view text = block.substr(field.offset, field.length);
  return text.substr(0, text.find('\0'));
}

Result<std::uint64_t> tar_number(std::string_view raw) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(raw[i]); };
  std::uint64_t value = 0;
  if (!raw.empty() && (byte(0) & 0x80)) {
    if (byte(0) & 0x40) return fail("tar: negative number");
    value = byte(0) & 0x3f;
    for (std::size_t i = 1; i < raw.size(); ++i) {
      if (value > (kMaxTarNumber >> 8)) return fail("tar: number too large");
      value = (value << 8) | byte(i);
    }
    if (value > kMaxTarNumber) return fail("tar: number too large");
    return value;
  }
  std::size_t i = 0;
  while (i < raw.size() && raw[i] == ' ') ++i;
  for (; i < raw.size() && raw[i] >= '0' && raw[i] <= '7'; ++i) {
    if (value > (kMaxTarNumber >> 3)) return fail("tar: number too large");
    value = value * 8 + static_cast<std::uint64_t>(raw[i] - '0');
  }
  for (; i < raw.size(); ++i) {
    if (raw[i] != ' ' && raw[i] != '\0') return fail("tar: malformed number");
  }
  return value;
}

bool is_zero_tar_block(std::string_view block) {
  return std::all_of(block.begin(), block.end(), [](char c) { return c == '\0'; });
}

bool tar_checksum_matches(std::string_view block) {
  if (block.size() != kTarBlock) return false;
  auto stored = tar_number(block.substr(kTarChecksum.offset, kTarChecksum.length));
  if (!stored) return false;
  std::uint64_t unsigned_sum = 0;
  std::int64_t signed_sum = 0;
  for (std::size_t i = 0; i < kTarBlock; ++i) {
    const bool in_field = i >= kTarChecksum.offset && i < kTarChecksum.offset + kTarChecksum.length;
    const char c = in_field ? ' ' : block[i];
    unsigned_sum += static_cast<unsigned char>(c);
    signed_sum += static_cast<signed char>(c);
  }
  return *stored == unsigned_sum || static_cast<std::int64_t>(*stored) == signed_sum;
}

Result<void> for_each_pax_record(std::string_view records,
                                 const std::function<Result<void>(std::string_view, std::string_view)>& visit) {
  while (!records.empty()) {
    if (records.find_first_not_of('\0') == std::string_view::npos) break;  // zero fill
    const std::size_t space = records.find(' ');
    if (space == std::string_view::npos || space == 0 || space > 9) return fail("tar: malformed pax record");
    std::size_t length = 0;
    const auto [end, ec] = std::from_chars(records.data(), records.data() + space, length);
    if (ec != std::errc() || end != records.data() + space || length <= space + 1 ||
        length > records.size() || records[length - 1] != '\n') {
      return fail("tar: malformed pax record");
    }
    const std::string_view record = records.substr(space + 1, length - space - 2);
    records.remove_prefix(length);
    const std::size_t equals = record.find('=');
    if (equals == std::string_view::npos) return fail("tar: malformed pax record");
    if (auto ok = visit(record.substr(0, equals), record.substr(equals + 1)); !ok) return ok;
  }
  return {};
}

}  // namespace hermes::sandbox
