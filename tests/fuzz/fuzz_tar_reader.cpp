// The tar stream of GET /containers/{id}/archive comes from a container the attacker controlled.
// Properties: no crash, no exception, bounded names; content is only ever handed over for
// regular files, never more than the entry's declared size, and entries end in order. The input
// is fed in pieces whose sizes come from its first byte, so piece boundaries are explored too.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "sandbox/tar_reader.hpp"

namespace sb = hermes::sandbox;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::size_t step = 1 + data[0] * 7;
  const std::string_view input(reinterpret_cast<const char*>(data + 1), size - 1);

  bool open = false;
  bool regular = false;
  std::uint64_t declared = 0, received = 0;
  sb::TarReader::Handler handler;
  handler.on_entry = [&](const sb::TarEntry& entry) -> hermes::Result<void> {
    if (open || entry.name.size() > sb::TarReader::kMaxName) std::abort();
    open = true;
    regular = entry.regular();
    declared = entry.size;
    received = 0;
    return {};
  };
  handler.on_data = [&](std::string_view bytes) -> hermes::Result<void> {
    if (!open || !regular) std::abort();
    received += bytes.size();
    if (received > declared) std::abort();
    return {};
  };
  handler.on_entry_end = [&](const sb::TarEntry&) -> hermes::Result<void> {
    if (!open || (regular && received != declared)) std::abort();
    open = false;
    return {};
  };
  sb::TarReader reader(std::move(handler));
  for (std::size_t at = 0; at < input.size(); at += step)
    if (!reader.feed(input.substr(at, step))) break;
  return 0;
}
