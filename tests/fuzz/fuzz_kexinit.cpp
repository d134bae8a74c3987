// The pcap reader and the KEXINIT parser take bytes a client chose (the trace holds the client's
// packets as sent): they must survive anything, and what they accept must be consistent. The
// input is tried as a whole trace, and as a KEXINIT payload on its own.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "ssh/client_kexinit.hpp"
#include "ssh/pcap_packets.hpp"

namespace {
void check(std::string_view payload) {
  const auto kex = hermes::ssh::parse_kexinit(payload);
  if (!kex) return;
  std::size_t listed = 0;
  for (const auto& list : kex->lists) listed += list.size() + 4;
  if (listed + 1 + 16 + 5 > payload.size()) std::abort();  // lists cannot exceed the payload
  const auto fields = hermes::ssh::kex_event_fields(*kex);
  if (fields["hassh"].get<std::string>().size() != 32) std::abort();
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  if (const auto payload = hermes::ssh::first_client_packet(input, 50022)) {
    if (payload->data() < input.data() || payload->data() + payload->size() > input.data() + input.size()) std::abort();
    check(*payload);
  }
  check(input);
  return 0;
}
