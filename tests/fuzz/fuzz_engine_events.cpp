// Feeds arbitrary bytes, in arbitrary splits, through the engine event stream's line splitter
// and event parser: no crash, no line longer than the bound or containing a newline, and the
// same lines whatever the split. Byte 0 picks the split size (0 = whole buffer).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "sandbox/engine_events.hpp"

namespace {

constexpr std::size_t kBound = 256;  // small, so the fuzzer reaches overlong lines easily

std::vector<std::string> split(std::string_view bytes, std::size_t piece) {
  hermes::sandbox::LineSplitter splitter(kBound);
  std::vector<std::string> lines;
  if (piece == 0) piece = bytes.size() + 1;
  for (std::size_t offset = 0; offset < bytes.size(); offset += piece) {
    splitter.feed(bytes.substr(offset, piece), lines);
  }
  return lines;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view bytes(reinterpret_cast<const char*>(data + 1), size - 1);
  const auto lines = split(bytes, data[0]);
  if (lines != split(bytes, 0)) std::abort();
  for (const auto& line : lines) {
    if (line.size() > kBound || line.find('\n') != std::string::npos) std::abort();
    if (const auto event = hermes::sandbox::parse_container_event(line)) {
      if (event->id.empty() || event->action.empty()) std::abort();
      (void)hermes::sandbox::ends_container(event->action);
    }
  }
  return 0;
}
