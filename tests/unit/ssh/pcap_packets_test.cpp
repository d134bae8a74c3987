#include "ssh/pcap_packets.hpp"

#include <gtest/gtest.h>

#include "unit/ssh/kexinit_wire.hpp"

namespace hermes::ssh {
namespace {

using namespace testing;
constexpr std::uint16_t kClient = 50022;
constexpr std::uint16_t kServer = 2222;

std::string trace_of_a_key_exchange() {
  const std::string server_kex = binary_packet(kexinit_payload({"k", "h", "e", "e", "m", "m", "c", "c", "", ""}));
  const std::string client_kex = binary_packet(kexinit_payload(openssh_like_lists()));
  return pcap_header() + pcap_record(kServer, kClient, server_kex) +
         pcap_record(kClient, kServer, "SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n") + pcap_record(kClient, kServer, client_kex);
}

TEST(PcapPackets, FindsTheClientsFirstBinaryPacket) {
  const std::string trace = trace_of_a_key_exchange();
  const auto payload = first_client_packet(trace, kClient);
  ASSERT_TRUE(payload);
  EXPECT_EQ(*payload, kexinit_payload(openssh_like_lists()));
}

TEST(PcapPackets, SkipsTheServersPacketsAndTheVersionLine) {
  const std::string trace = pcap_header() + pcap_record(kServer, kClient, binary_packet("\x14server")) +
                            pcap_record(kClient, kServer, "SSH-2.0-x\r\n");
  EXPECT_FALSE(first_client_packet(trace, kClient));
}

TEST(PcapPackets, RefusesAWrongMagic) {
  std::string trace = trace_of_a_key_exchange();
  trace[0] = '\xd4';  // little-endian pcap: not what libssh writes
  EXPECT_FALSE(first_client_packet(trace, kClient));
}

TEST(PcapPackets, RefusesARecordLongerThanTheFile) {
  std::string trace = trace_of_a_key_exchange();
  trace.resize(trace.size() - 1);
  EXPECT_FALSE(first_client_packet(trace, kClient));
}

TEST(PcapPackets, RefusesARecordTooShortForHeaders) {
  std::string record;
  put_u32(record, 0);
  put_u32(record, 0);
  put_u32(record, 10);
  put_u32(record, 10);
  EXPECT_FALSE(first_client_packet(pcap_header() + record + std::string(10, 'x'), kClient));
}

TEST(PcapPackets, RefusesANonIpv4Record) {
  std::string record = pcap_record(kClient, kServer, binary_packet("\x14x"));
  record[16] = '\x60';  // IPv6 version nibble
  EXPECT_FALSE(first_client_packet(pcap_header() + record, kClient));
}

TEST(PcapPackets, RefusesAPacketLengthBeyondTheRecord) {
  std::string data;
  put_u32(data, 1000);
  data += '\x04';
  data += "\x14short";
  EXPECT_FALSE(first_client_packet(pcap_header() + pcap_record(kClient, kServer, data), kClient));
}

TEST(PcapPackets, RefusesPaddingLongerThanThePacket) {
  std::string data;
  put_u32(data, 5);
  data += '\x10';
  data += "\x14" "abcd";
  EXPECT_FALSE(first_client_packet(pcap_header() + pcap_record(kClient, kServer, data), kClient));
}

TEST(PcapPackets, RefusesAnEmptyPayload) {
  std::string data;
  put_u32(data, 5);
  data += '\x04';
  data += std::string(4, '\0');
  EXPECT_FALSE(first_client_packet(pcap_header() + pcap_record(kClient, kServer, data), kClient));
}

TEST(PcapPackets, EveryTruncationIsSafe) {
  const std::string trace = trace_of_a_key_exchange();
  for (std::size_t n = 0; n < trace.size(); ++n) EXPECT_FALSE(first_client_packet(trace.substr(0, n), kClient)) << n;
}

}  // namespace
}  // namespace hermes::ssh
