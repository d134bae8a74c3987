#pragma once
// Arbitrary client bytes as readable, lossless ASCII for an event: printable ASCII stays as it
// is, a backslash is doubled, \r \n \t are written so, every other byte as \xNN (lowercase hex).
#include <string>
#include <string_view>

namespace hermes::ssh {

std::string escape_bytes(std::string_view bytes);

}  // namespace hermes::ssh
