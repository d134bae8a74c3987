#include "ssh/escaped_bytes.hpp"

namespace hermes::ssh {

std::string escape_bytes(std::string_view bytes) {
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size());
  for (const char c : bytes) {
    const auto b = static_cast<unsigned char>(c);
    switch (b) {
      case '\\': out += "\\\\"; break;
      case '\r': out += "\\r"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      default:
        if (b >= 0x20 && b < 0x7f) {
          out += c;
        } else {
          out += "\\x";
          out += hex[b >> 4];
          out += hex[b & 15];
        }
    }
  }
  return out;
}

}  // namespace hermes::ssh
