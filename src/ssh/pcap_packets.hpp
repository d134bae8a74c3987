#pragma once
// Reads the pcap that libssh writes for a session (ssh_set_pcap_file): a big-endian pcap
// header, then one record per SSH packet, each wrapped in a fake IPv4 + TCP header (DLT_RAW).
// Inbound records carry the client's version line, or a whole binary packet as received
// (uint32 packet_length, byte padding_length, payload, padding). Hostile bytes: every length
// is checked, and a malformed record ends the walk.
#include <cstdint>
#include <optional>
#include <string_view>

namespace hermes::ssh {

// The payload (message number first) of the first binary packet the client sent, i.e. of
// the first record whose TCP source port is `client_port` and which is not the version line.
std::optional<std::string_view> first_client_packet(std::string_view pcap, std::uint16_t client_port);

}  // namespace hermes::ssh
