// Percent-encoding of request targets and the container-name helpers: what an attacker-derived
// or configured text can do to the Docker API's URL and names. Properties: url_encode's output
// has only unreserved bytes and %XX and decodes back to the input (so no byte can add a
// parameter or a path segment); a valid image reference is sent unchanged; container names are
// ones Docker accepts ([a-zA-Z0-9][a-zA-Z0-9_.-]*) with each part at most 64 bytes.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "sandbox/container_names.hpp"
#include "sandbox/docker_responses.hpp"
#include "sandbox/url_encoding.hpp"

namespace sb = hermes::sandbox;

namespace {
bool unreserved(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}
int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;  // url_encode writes upper-case hex only
}
// Decodes strictly; aborts on anything url_encode must never produce.
std::string decode_strict(std::string_view encoded) {
  std::string out;
  for (std::size_t i = 0; i < encoded.size(); ++i) {
    if (encoded[i] != '%') {
      if (!unreserved(encoded[i])) std::abort();
      out += encoded[i];
      continue;
    }
    if (i + 2 >= encoded.size()) std::abort();  // a cut %XX
    const int hi = hex_value(encoded[i + 1]), lo = hex_value(encoded[i + 2]);
    if (hi < 0 || lo < 0) std::abort();
    out += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  return out;
}
bool docker_name(std::string_view name) {
  if (name.empty() || name.front() == '_' || name.front() == '.' || name.front() == '-') return false;
  for (char c : name)
    if (!unreserved(c) || c == '~') return false;
  return true;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::string encoded = sb::url_encode(input);
  if (decode_strict(encoded) != input) std::abort();
  if (sb::encode_path_segment(input) != encoded) std::abort();

  if (sb::is_valid_image_reference(input) && sb::encode_image_reference(input) != input) std::abort();

  // Split the input in two: sensor and session id.
  const std::size_t cut = size / 2;
  const std::string_view sensor = input.substr(0, cut), session = input.substr(cut);
  const std::string part = sb::sanitize_name_part(input);
  if (part.empty() || part.size() > 64) std::abort();
  const std::string pool = sb::pool_container_name(sensor, session);
  const std::string taken = sb::session_container_name(sensor, session);
  if (!docker_name(pool) || !docker_name(taken) || pool.size() > 12 + 64 + 1 + 64 ||
      taken.size() > 7 + 64 + 1 + 64 || taken.rfind("hermes-", 0) != 0) {
    std::abort();
  }
  const std::string query = sb::build_query({{std::string(sensor), std::string(session)}});
  if (query != "?" + sb::url_encode(sensor) + "=" + sb::url_encode(session)) std::abort();
  return 0;
}
