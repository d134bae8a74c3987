#include "config/value_rules.hpp"

#include <algorithm>

#include "config/scalar_parsing.hpp"

namespace hermes::config {
namespace {

bool is_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

bool is_control(unsigned char c) { return c < 0x20 || c == 0x7f; }

bool all_of_chars(std::string_view text, std::string_view extra) {
  return std::all_of(text.begin(), text.end(), [extra](char c) {
    return is_alnum(c) || extra.find(c) != std::string_view::npos;
  });
}

// A DNS name or IPv4 literal: dot-separated RFC 1123 labels.
bool is_dns_name(std::string_view text) {
  if (text.empty() || text.size() > 253) return false;
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = text.find('.', start);
    const std::string_view label = text.substr(start, dot - start);
    if (!is_hostname_label(label)) return false;
    if (dot == std::string_view::npos) return true;
    start = dot + 1;
  }
}

bool is_tcp_endpoint(std::string_view text) {
  if (text.ends_with('/')) text.remove_suffix(1);
  const std::size_t colon = text.rfind(':');
  if (colon == std::string_view::npos) return false;
  std::string_view host = text.substr(0, colon);
  const auto port = parse_decimal_integer(text.substr(colon + 1));
  if (!port || *port < 1 || *port > 65535 || text[colon + 1] == '+') return false;
  if (host.starts_with('[') && host.ends_with(']')) {
    host = host.substr(1, host.size() - 2);
    return !host.empty() && host.size() <= 45 && all_of_chars(host, ":.%");
  }
  return is_dns_name(host);
}

}  // namespace

bool is_printable_text(std::string_view text, std::size_t max_length) {
  return !text.empty() && text.size() <= max_length &&
         std::none_of(text.begin(), text.end(), [](char c) { return is_control(c); });
}

bool is_path_text(std::string_view text) { return is_printable_text(text, kMaxPathLength); }

bool is_listen_host(std::string_view text) {
  return !text.empty() && text.size() <= 253 && all_of_chars(text, ".:-_%");
}

bool is_image_reference(std::string_view text) {
  return !text.empty() && text.size() <= 255 && is_alnum(text.front()) &&
         all_of_chars(text, "._-:/@");
}

bool is_network_mode(std::string_view text) {
  return !text.empty() && text.size() <= 255 && is_alnum(text.front()) &&
         all_of_chars(text, "._-:");
}

bool is_runtime_name(std::string_view text) {
  return text.empty() || (text.size() <= 64 && is_alnum(text.front()) && all_of_chars(text, "-_."));
}

bool is_hostname_label(std::string_view text) {
  return !text.empty() && text.size() <= 63 && text.front() != '-' && text.back() != '-' &&
         all_of_chars(text, "-");
}

bool is_sha256_key_fingerprint(std::string_view text) {
  constexpr std::string_view kPrefix = "SHA256:";
  if (!text.starts_with(kPrefix)) return false;
  text.remove_prefix(kPrefix.size());
  // 32 bytes are 43 base64 characters without padding; the last carries 4 bits, so it is one of
  // the 16 characters whose low two bits are zero.
  constexpr std::string_view kLastCharacters = "AEIMQUYcgkosw048";
  return text.size() == 43 && all_of_chars(text.substr(0, 42), "+/") &&
         kLastCharacters.find(text.back()) != std::string_view::npos;
}

std::optional<std::string> normalize_version_string(std::string_view text) {
  constexpr std::string_view kPrefix = "SSH-2.0-";
  // Another protocol version ("SSH-1.99-") would announce something Hermes does not speak.
  if (text.starts_with("SSH-") && !text.starts_with(kPrefix)) return std::nullopt;
  if (text.starts_with(kPrefix)) text.remove_prefix(kPrefix.size());
  const bool printable_ascii = std::all_of(text.begin(), text.end(), [](char c) {
    return static_cast<unsigned char>(c) >= 0x20 && static_cast<unsigned char>(c) < 0x7f;
  });
  const std::string_view software = text.substr(0, text.find(' '));
  if (!printable_ascii || software.empty() || software.find('-') != std::string_view::npos ||
      kPrefix.size() + text.size() > kMaxVersionStringLength) {
    return std::nullopt;
  }
  return std::string(kPrefix) + std::string(text);
}

bool is_docker_base_url(std::string_view text) {
  if (text.starts_with("tcp://")) return is_tcp_endpoint(text.substr(6));
  if (text.starts_with("unix://")) {
    const std::string_view path = text.substr(7);
    return path.starts_with('/') && path.size() > 1 && is_path_text(path);
  }
  return false;
}

}  // namespace hermes::config
