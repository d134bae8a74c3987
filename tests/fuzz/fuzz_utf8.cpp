// Fuzzes record::utf8_sanitize with attacker-style byte streams cut into arbitrary chunks.
// Input layout: repeated [chunk length byte][that many bytes]; the chunks form one stream.
// Properties checked:
//  - every output is valid UTF-8 (checked by an independent decoder below) and dumps as JSON;
//  - the held-back tail never exceeds 3 bytes;
//  - the result does not depend on where the stream was cut;
//  - a stream that is already valid UTF-8 comes out unchanged;
//  - record::append_json_string writes exactly what nlohmann's dump() writes for it.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "record/json_string.hpp"
#include "record/utf8.hpp"

namespace {

// Straightforward decoder: computes each code point and checks it against the definition
// (shortest form, not a surrogate, at most U+10FFFF), unlike the table-driven sanitizer.
bool is_valid_utf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto b0 = static_cast<unsigned char>(s[i]);
    std::size_t len;
    uint32_t cp;
    if (b0 < 0x80) { len = 1; cp = b0; }
    else if ((b0 & 0xE0) == 0xC0) { len = 2; cp = b0 & 0x1F; }
    else if ((b0 & 0xF0) == 0xE0) { len = 3; cp = b0 & 0x0F; }
    else if ((b0 & 0xF8) == 0xF0) { len = 4; cp = b0 & 0x07; }
    else return false;
    if (i + len > s.size()) return false;
    for (std::size_t k = 1; k < len; ++k) {
      const auto b = static_cast<unsigned char>(s[i + k]);
      if ((b & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (b & 0x3F);
    }
    static constexpr uint32_t kMinForLength[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMinForLength[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += len;
  }
  return true;
}

void require(bool condition) {
  if (!condition) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::vector<std::string_view> chunks;
  std::string stream;
  for (std::size_t pos = 0; pos < size;) {
    const std::size_t wanted = data[pos];
    ++pos;
    const std::size_t len = std::min(wanted, size - pos);
    chunks.emplace_back(reinterpret_cast<const char*>(data + pos), len);
    stream.append(chunks.back());
    pos += len;
  }

  std::string chunked, tail;
  for (const auto chunk : chunks) {
    const std::size_t before = chunked.size();
    hermes::record::utf8_sanitize(chunk, chunked, tail, false);
    require(tail.size() <= 3);
    // What each call emits stands on its own (it becomes one asciicast line).
    require(is_valid_utf8(std::string_view(chunked).substr(before)));
  }
  hermes::record::utf8_sanitize({}, chunked, tail, true);
  require(tail.empty());

  std::string whole, whole_tail;
  hermes::record::utf8_sanitize(stream, whole, whole_tail, true);
  require(whole_tail.empty());

  require(chunked == whole);
  require(is_valid_utf8(whole));
  if (is_valid_utf8(stream)) require(whole == stream);
  try {
    // The default (strict) error handler throws on invalid UTF-8: it must never fire here.
    const std::string dumped = nlohmann::json(whole).dump();
    require(nlohmann::json::parse(dumped).get<std::string>() == whole);
    std::string escaped;
    hermes::record::append_json_string(escaped, whole);
    require(escaped == dumped);
  } catch (const nlohmann::json::exception&) {
    std::abort();
  }
  return 0;
}
