#pragma once
// Whether an executable can run in a target rootfs that has no dynamic loader or libraries.
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace hermes::sandbox {

// True for an ELF64 little-endian executable without a PT_INTERP program header (static or
// static-pie); false for a dynamically linked one; an Error for anything that is not such an ELF
// file or whose headers point outside the file.
Result<bool> is_static_elf(std::string_view file);

// Reads the executable at `path` (at most 64 MiB) and checks it is static; `what` names it in
// errors ("hermes-init").
Result<std::string> read_static_executable(const std::string& path, std::string_view what);

}  // namespace hermes::sandbox
