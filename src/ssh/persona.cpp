#include "ssh/persona.hpp"

#include <string>

namespace hermes::ssh::persona {
namespace {

Result<void> set_list(ssh_bind bind, ssh_bind_options_e option, std::string_view list, std::string_view what) {
  const std::string text(list);  // libssh wants a NUL-terminated string
  if (ssh_bind_options_set(bind, option, text.c_str()) != SSH_OK) {
    return fail("libssh refused the persona's " + std::string(what) + " list (" + text + "): " + ssh_get_error(bind));
  }
  return {};
}

}  // namespace

Result<void> apply_algorithms(ssh_bind bind) {
  struct Setting {
    ssh_bind_options_e option;
    std::string_view list;
    std::string_view what;
  };
  const Setting settings[] = {
      {SSH_BIND_OPTIONS_KEY_EXCHANGE, kKeyExchange, "key exchange"},
      {SSH_BIND_OPTIONS_CIPHERS_C_S, kCiphers, "client-to-server cipher"},
      {SSH_BIND_OPTIONS_CIPHERS_S_C, kCiphers, "server-to-client cipher"},
      {SSH_BIND_OPTIONS_HMAC_C_S, kMacs, "client-to-server MAC"},
      {SSH_BIND_OPTIONS_HMAC_S_C, kMacs, "server-to-client MAC"},
      {SSH_BIND_OPTIONS_HOSTKEY_ALGORITHMS, kHostKeyAlgorithms, "host key algorithm"},
      {SSH_BIND_OPTIONS_PUBKEY_ACCEPTED_KEY_TYPES, kServerSigAlgs, "public key algorithm"},
  };
  for (const auto& s : settings) {
    if (auto ok = set_list(bind, s.option, s.list, s.what); !ok) return ok;
  }
  return {};
}

}  // namespace hermes::ssh::persona
