#pragma once
// Builders of SSH wire bytes and libssh-style pcap traces for the KEXINIT parser tests.
#include <cstdint>
#include <string>
#include <vector>

namespace hermes::ssh::testing {

inline void put_u32(std::string& out, std::uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out += static_cast<char>((v >> shift) & 0xff);
}

inline void put_string(std::string& out, const std::string& s) {
  put_u32(out, static_cast<std::uint32_t>(s.size()));
  out += s;
}

inline std::string kexinit_payload(const std::vector<std::string>& lists) {
  std::string p(1, '\x14');
  p += std::string(16, 'C');  // cookie
  for (const auto& l : lists) put_string(p, l);
  p += '\0';         // first_kex_packet_follows
  put_u32(p, 0);     // reserved
  return p;
}

// uint32 packet_length, byte padding_length, payload, padding: as libssh records it.
inline std::string binary_packet(const std::string& payload, unsigned char padding = 4) {
  std::string out;
  put_u32(out, static_cast<std::uint32_t>(1 + payload.size() + padding));
  out += static_cast<char>(padding);
  out += payload;
  out += std::string(padding, '\0');
  return out;
}

inline std::string pcap_header() {
  std::string h;
  put_u32(h, 0xa1b2c3d4);
  h += std::string("\x00\x02\x00\x04", 4);
  put_u32(h, 0);
  put_u32(h, 0);
  put_u32(h, 262144);
  put_u32(h, 12);
  return h;
}

inline std::string pcap_record(std::uint16_t src_port, std::uint16_t dst_port, const std::string& data) {
  std::string ip;
  ip += '\x45';
  ip += '\0';
  ip += static_cast<char>(((data.size() + 40) >> 8) & 0xff);
  ip += static_cast<char>((data.size() + 40) & 0xff);
  ip += std::string(4, '\0');
  ip += '\x40';  // TTL
  ip += '\x06';  // TCP
  ip += std::string(2, '\0');
  ip += std::string("\x7f\x00\x00\x01\x7f\x00\x00\x01", 8);
  std::string tcp;
  tcp += static_cast<char>(src_port >> 8);
  tcp += static_cast<char>(src_port & 0xff);
  tcp += static_cast<char>(dst_port >> 8);
  tcp += static_cast<char>(dst_port & 0xff);
  tcp += std::string(8, '\0');
  tcp += '\x50';
  tcp += '\x18';
  tcp += std::string("\xff\xff\x00\x00\x00\x00", 6);
  std::string record;
  put_u32(record, 1);
  put_u32(record, 2);
  put_u32(record, static_cast<std::uint32_t>(ip.size() + tcp.size() + data.size()));
  put_u32(record, static_cast<std::uint32_t>(ip.size() + tcp.size() + data.size()));
  return record + ip + tcp + data;
}

inline std::vector<std::string> openssh_like_lists() {
  return {"curve25519-sha256,ext-info-c", "ssh-ed25519,rsa-sha2-512", "aes128-ctr,aes256-gcm@openssh.com",
          "aes128-ctr", "hmac-sha2-256", "hmac-sha2-256", "none,zlib@openssh.com", "none", "", ""};
}

}  // namespace hermes::ssh::testing
