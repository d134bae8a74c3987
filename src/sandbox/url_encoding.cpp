#include "sandbox/url_encoding.hpp"

namespace hermes::sandbox {
namespace {

bool is_unreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

void append_percent_encoded(std::string& out, unsigned char c) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  out.push_back('%');
  out.push_back(kHex[c >> 4]);
  out.push_back(kHex[c & 0x0F]);
}

template <class KeepLiteral>
std::string encode_with(std::string_view value, KeepLiteral keep_literal) {
  std::string out;
  out.reserve(value.size());
  for (char ch : value) {
    const auto c = static_cast<unsigned char>(ch);
    if (keep_literal(c)) {
      out.push_back(ch);
    } else {
      append_percent_encoded(out, c);
    }
  }
  return out;
}

}  // namespace

std::string url_encode(std::string_view value) { return encode_with(value, is_unreserved); }

std::string encode_image_reference(std::string_view image) {
  return encode_with(image, [](unsigned char c) {
    return is_unreserved(c) || c == '/' || c == ':' || c == '@';
  });
}

std::string build_query(const QueryParams& params) {
  std::string out;
  for (const auto& [key, value] : params) {
    out += out.empty() ? '?' : '&';
    out += url_encode(key);
    out += '=';
    out += url_encode(value);
  }
  return out;
}

}  // namespace hermes::sandbox
