#pragma once
// The client's SSH_MSG_KEXINIT (RFC 4253 §7.1) and its HASSH fingerprint. Pure functions over
// hostile bytes: every length is checked against what is left, nothing is trusted.
#include <array>
#include <cstddef>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace hermes::ssh {

struct ClientKexInit {
  // The ten name-lists in wire order: kex, host key, enc c2s, enc s2c, mac c2s, mac s2c,
  // comp c2s, comp s2c, lang c2s, lang s2c.
  enum List { kex, host_key, enc_cs, enc_sc, mac_cs, mac_sc, comp_cs, comp_sc, lang_cs, lang_sc, count };
  std::array<std::string, count> lists;

  // "kex;enc_c2s;mac_c2s;comp_c2s", the string HASSH hashes.
  std::string hassh_algorithms() const;
  // md5 hex of hassh_algorithms().
  std::string hassh() const;
};

inline constexpr unsigned char kMsgKexInit = 20;
// A name-list longer than this is cut in the event's lists (the hash still covers it whole).
inline constexpr std::size_t kMaxLoggedNameList = 4096;

// `payload` starts with the message number. Empty when it is not a well-formed KEXINIT.
std::optional<ClientKexInit> parse_kexinit(std::string_view payload);

// The hermes.client.kex fields, named as Cowrie's cowrie.client.kex: hassh, hasshAlgorithms,
// kexAlgs, keyAlgs, encCS, macCS, compCS, langCS (lists split on ',' as Cowrie does, so an
// empty name-list is [""]); `truncated: true` when a list was longer than kMaxLoggedNameList.
nlohmann::json kex_event_fields(const ClientKexInit& kex);

}  // namespace hermes::ssh
