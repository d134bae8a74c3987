#include "record/json_string.hpp"

#include <array>

namespace hermes::record {

namespace {

// For each byte: 0 = copied as is, 'u' = \u00xx, any other = that letter after a backslash.
constexpr std::array<char, 256> kEscapes = [] {
  std::array<char, 256> table{};
  for (int c = 0; c < 0x20; ++c) table[static_cast<std::size_t>(c)] = 'u';
  table['\b'] = 'b';
  table['\f'] = 'f';
  table['\n'] = 'n';
  table['\r'] = 'r';
  table['\t'] = 't';
  table['"'] = '"';
  table['\\'] = '\\';
  return table;
}();

constexpr std::string_view kHex = "0123456789abcdef";

}  // namespace

void append_json_string(std::string& out, std::string_view text) {
  out.reserve(out.size() + text.size() + 2);
  out += '"';
  std::size_t plain_from = 0;  // copy runs of plain bytes at once
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    const char escape = kEscapes[byte];
    if (escape == 0) continue;
    out.append(text, plain_from, i - plain_from);
    plain_from = i + 1;
    out += '\\';
    if (escape != 'u') {
      out += escape;
      continue;
    }
    out += "u00";
    out += kHex[byte >> 4];
    out += kHex[byte & 0x0f];
  }
  out.append(text, plain_from, text.size() - plain_from);
  out += '"';
}

}  // namespace hermes::record
