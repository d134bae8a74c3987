// parse_iso8601 reads timestamps back from our own sidecar files, which sit on disk where anyone
// with access could edit them. Properties: any bytes are answered without a crash; whatever it
// accepts, iso8601() writes in the same canonical form, and that text parses to the same instant
// (to the microsecond, iso8601's precision); a canonical text (6 fraction digits, no leap second)
// comes back byte for byte.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "common/time.hpp"
#include "record/iso8601_parse.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace std::chrono;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const auto parsed = hermes::record::parse_iso8601(input);
  if (!parsed) return 0;
  const std::string written = hermes::iso8601(*parsed);
  const auto again = hermes::record::parse_iso8601(written);
  if (!again) std::abort();
  if (*again != time_point_cast<microseconds>(*parsed) && *again != floor<microseconds>(*parsed)) std::abort();
  const bool canonical = input.size() == written.size() && input.substr(17, 2) != "60";
  if (canonical && written != input) std::abort();
  return 0;
}
