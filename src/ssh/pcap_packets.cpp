#include "ssh/pcap_packets.hpp"

#include <cstddef>

namespace hermes::ssh {

namespace {
constexpr std::uint32_t kPcapMagic = 0xa1b2c3d4;  // written big-endian by libssh
constexpr std::size_t kFileHeader = 24;
constexpr std::size_t kRecordHeader = 16;
constexpr std::size_t kIpHeader = 20;   // libssh writes no options
constexpr std::size_t kTcpHeader = 20;
constexpr std::uint8_t kIpProtoTcp = 6;

std::uint32_t be32(std::string_view b, std::size_t at) {
  std::uint32_t v = 0;
  for (std::size_t i = 0; i < 4; ++i) v = (v << 8) | static_cast<unsigned char>(b[at + i]);
  return v;
}
std::uint16_t be16(std::string_view b, std::size_t at) {
  return static_cast<std::uint16_t>((static_cast<unsigned char>(b[at]) << 8) | static_cast<unsigned char>(b[at + 1]));
}

// The SSH payload of one binary packet as libssh recorded it, or nothing if it is not one.
std::optional<std::string_view> binary_packet_payload(std::string_view packet) {
  if (packet.size() < 5) return std::nullopt;
  const std::uint32_t packet_length = be32(packet, 0);
  const auto padding = static_cast<unsigned char>(packet[4]);
  if (packet_length > packet.size() - 4 || packet_length < 1u + padding) return std::nullopt;
  const std::size_t payload_size = packet_length - 1 - padding;
  if (payload_size == 0) return std::nullopt;
  return packet.substr(5, payload_size);
}
}  // namespace

std::optional<std::string_view> first_client_packet(std::string_view pcap, std::uint16_t client_port) {
  if (pcap.size() < kFileHeader || be32(pcap, 0) != kPcapMagic) return std::nullopt;
  std::size_t at = kFileHeader;
  while (pcap.size() - at >= kRecordHeader) {
    const std::uint32_t captured = be32(pcap, at + 8);
    at += kRecordHeader;
    if (captured > pcap.size() - at) return std::nullopt;  // cut short
    const std::string_view record = pcap.substr(at, captured);
    at += captured;
    if (record.size() < kIpHeader + kTcpHeader) return std::nullopt;
    if (static_cast<unsigned char>(record[0]) != 0x45 || static_cast<unsigned char>(record[9]) != kIpProtoTcp) {
      return std::nullopt;
    }
    if (be16(record, kIpHeader) != client_port) continue;  // the server's own packets
    const std::string_view data = record.substr(kIpHeader + kTcpHeader);
    if (data.starts_with("SSH-")) continue;  // the version line
    return binary_packet_payload(data);
  }
  return std::nullopt;
}

}  // namespace hermes::ssh
