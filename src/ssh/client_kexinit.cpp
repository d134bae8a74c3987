#include "ssh/client_kexinit.hpp"

#include <openssl/evp.h>

#include <cstdint>
#include <memory>

namespace hermes::ssh {

namespace {
constexpr std::size_t kCookieSize = 16;

// Reads big-endian SSH wire types from a view, failing (and staying failed) on any overrun.
class WireReader {
 public:
  explicit WireReader(std::string_view bytes) : rest_(bytes) {}
  bool ok() const { return ok_; }
  bool skip(std::size_t n) {
    if (!ok_ || rest_.size() < n) return ok_ = false;
    rest_.remove_prefix(n);
    return true;
  }
  std::optional<std::uint32_t> u32() {
    if (!ok_ || rest_.size() < 4) {
      ok_ = false;
      return std::nullopt;
    }
    std::uint32_t v = 0;
    for (int i = 0; i < 4; ++i) v = (v << 8) | static_cast<unsigned char>(rest_[i]);
    rest_.remove_prefix(4);
    return v;
  }
  std::optional<std::string_view> string() {
    const auto length = u32();
    if (!length || rest_.size() < *length) {
      ok_ = false;
      return std::nullopt;
    }
    const std::string_view s = rest_.substr(0, *length);
    rest_.remove_prefix(*length);
    return s;
  }

 private:
  std::string_view rest_;
  bool ok_ = true;
};

std::string md5_hex(std::string_view text) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (EVP_Digest(text.data(), text.size(), digest, &size, EVP_md5(), nullptr) != 1) return {};
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  out.reserve(size * 2);
  for (unsigned i = 0; i < size; ++i) {
    out += hex[digest[i] >> 4];
    out += hex[digest[i] & 15];
  }
  return out;
}

// Splits as Python's str.split(","): "" gives [""], "a,,b" gives ["a", "", "b"].
nlohmann::json split_list(std::string_view list, bool& truncated) {
  if (list.size() > kMaxLoggedNameList) {
    list = list.substr(0, kMaxLoggedNameList);
    truncated = true;
  }
  nlohmann::json names = nlohmann::json::array();
  for (;;) {
    const auto comma = list.find(',');
    names.push_back(std::string(list.substr(0, comma)));
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  return names;
}
}  // namespace

std::string ClientKexInit::hassh_algorithms() const {
  return lists[kex] + ';' + lists[enc_cs] + ';' + lists[mac_cs] + ';' + lists[comp_cs];
}

std::string ClientKexInit::hassh() const { return md5_hex(hassh_algorithms()); }

std::optional<ClientKexInit> parse_kexinit(std::string_view payload) {
  if (payload.empty() || static_cast<unsigned char>(payload.front()) != kMsgKexInit) return std::nullopt;
  WireReader reader(payload.substr(1));
  if (!reader.skip(kCookieSize)) return std::nullopt;
  ClientKexInit kex;
  for (auto& list : kex.lists) {
    const auto text = reader.string();
    if (!text) return std::nullopt;
    list.assign(*text);
  }
  // first_kex_packet_follows and the reserved word must be there too; trailing bytes (random
  // padding a broken client left in) are tolerated, as OpenSSH does.
  if (!reader.skip(1) || !reader.u32()) return std::nullopt;
  return kex;
}

nlohmann::json kex_event_fields(const ClientKexInit& kex) {
  bool truncated = false;
  const std::string algorithms = kex.hassh_algorithms();
  nlohmann::json fields{
      {"hassh", kex.hassh()},
      {"hasshAlgorithms", algorithms.size() > 4 * kMaxLoggedNameList ? algorithms.substr(0, 4 * kMaxLoggedNameList)
                                                                     : algorithms},
      {"kexAlgs", split_list(kex.lists[ClientKexInit::kex], truncated)},
      {"keyAlgs", split_list(kex.lists[ClientKexInit::host_key], truncated)},
      {"encCS", split_list(kex.lists[ClientKexInit::enc_cs], truncated)},
      {"macCS", split_list(kex.lists[ClientKexInit::mac_cs], truncated)},
      {"compCS", split_list(kex.lists[ClientKexInit::comp_cs], truncated)},
      {"langCS", split_list(kex.lists[ClientKexInit::lang_cs], truncated)},
  };
  if (truncated || algorithms.size() > 4 * kMaxLoggedNameList) fields["truncated"] = true;
  return fields;
}

}  // namespace hermes::ssh
