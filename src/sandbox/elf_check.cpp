#include "sandbox/elf_check.hpp"

#include <cstdint>
#include <cstring>
#include <fstream>

namespace hermes::sandbox {
namespace {

constexpr std::uint32_t kPtInterp = 3;
constexpr std::size_t kElf64HeaderSize = 64;
constexpr std::size_t kElf64ProgramHeaderSize = 56;

// memcpy rather than a cast: the file's bytes have no alignment guarantees.
template <class T>
T read_le(std::string_view file, std::size_t offset) {
  T value{};
  std::memcpy(&value, file.data() + offset, sizeof value);
  return value;  // little-endian host assumed, as Docker targets here are x86-64/arm64
}

}  // namespace

Result<bool> is_static_elf(std::string_view file) {
  if (file.size() < kElf64HeaderSize || file.substr(0, 4) != "\x7f" "ELF") {
    return fail("not an ELF file");
  }
  if (file[4] != 2 || file[5] != 1) return fail("not a 64-bit little-endian ELF file");
  const auto phoff = read_le<std::uint64_t>(file, 32);
  const auto phentsize = read_le<std::uint16_t>(file, 54);
  const auto phnum = read_le<std::uint16_t>(file, 56);
  if (phentsize < kElf64ProgramHeaderSize) return fail("ELF program header size is invalid");
  // Bounds in 64-bit arithmetic: phnum * phentsize is at most 65535 * 65535.
  if (phoff > file.size() || std::uint64_t{phnum} * phentsize > file.size() - phoff) {
    return fail("ELF program headers lie outside the file");
  }
  for (std::uint16_t i = 0; i < phnum; ++i) {
    const std::size_t entry = static_cast<std::size_t>(phoff) + std::size_t{i} * phentsize;
    if (read_le<std::uint32_t>(file, entry) == kPtInterp) return false;
  }
  return true;
}

Result<std::string> read_static_executable(const std::string& path, std::string_view what) {
  constexpr std::size_t kMaxExecutable = 64 * 1024 * 1024;
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail("cannot read " + std::string(what) + " at " + path);
  std::string content;
  char buffer[65536];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    content.append(buffer, static_cast<std::size_t>(in.gcount()));
    if (content.size() > kMaxExecutable) return fail(path + " is larger than 64 MiB");
  }
  auto is_static = is_static_elf(content);
  if (!is_static) return fail(std::string(what) + " at " + path + ": " + is_static.error().message);
  if (!*is_static) {
    return fail(std::string(what) + " at " + path +
                " is dynamically linked; the target image has no libraries (use a static build)");
  }
  return content;
}

}  // namespace hermes::sandbox
