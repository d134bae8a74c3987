// decode_session_line must survive any bytes, and anything it accepts must survive a round trip:
// encode is the canonical form, so decode(encode(x)) == x for every accepted x.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "common/session_line.hpp"

namespace {
bool same(const hermes::SessionStart& a, const hermes::SessionStart& b) {
  return a.user == b.user && a.term == b.term && a.cols == b.cols && a.rows == b.rows &&
         a.client_ip == b.client_ip && a.client_port == b.client_port &&
         a.server_ip == b.server_ip && a.server_port == b.server_port && a.env == b.env;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  auto decoded = hermes::decode_session_line(input);
  if (!decoded) return 0;
  const std::string line = hermes::encode_session_line(*decoded);
  if (line.size() > hermes::kMaxSessionLine) std::abort();
  auto again = hermes::decode_session_line(line);
  if (!again || !same(*decoded, *again)) std::abort();
  return 0;
}
