// parse_account_line reads what a container printed (an attacker's, in a kept container): it must
// survive any bytes, and whatever it accepts must format back into a line that parses the same.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "common/account.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const auto parsed = hermes::parse_account_line(input);
  if (!parsed) return 0;
  const auto line = hermes::format_account_line(*parsed);
  if (!line) std::abort();
  const auto again = hermes::parse_account_line(*line);
  if (!again) std::abort();
  const auto& a = parsed->account;
  const auto& b = again->account;
  if (a.name != b.name || a.uid != b.uid || a.gid != b.gid || a.home != b.home ||
      a.shell != b.shell || parsed->cwd != again->cwd || parsed->init_protocol != again->init_protocol)
    std::abort();
  return 0;
}
