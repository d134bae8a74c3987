#include "sandbox/host_key_files.hpp"

#include <algorithm>
#include <set>

#include "sandbox/tar_writer.hpp"

namespace hermes::sandbox {
namespace {

bool is_base64(std::string_view text) {
  const std::size_t padding_from = text.find('=');
  const bool padding_only_at_end =
      padding_from == std::string_view::npos ||
      (text.size() - padding_from <= 2 &&
       std::all_of(text.begin() + static_cast<std::ptrdiff_t>(padding_from), text.end(),
                   [](char c) { return c == '='; }));
  const std::string_view body = text.substr(0, padding_from);
  const bool alphabet = std::all_of(body.begin(), body.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
  });
  return !text.empty() && text.size() % 4 == 0 && padding_only_at_end && alphabet;
}

bool is_plain_hostname(std::string_view hostname) {
  return !hostname.empty() && hostname.size() <= 253 &&
         std::all_of(hostname.begin(), hostname.end(),
                     [](char c) { return c > ' ' && c < 0x7f; });
}

}  // namespace

Result<std::string> host_key_pub_file_name(std::string_view algorithm) {
  std::string_view type;
  if (algorithm == "ssh-rsa") type = "rsa";
  if (algorithm == "ssh-ed25519") type = "ed25519";
  if (algorithm.starts_with("ecdsa-sha2-nistp")) type = "ecdsa";
  if (type.empty()) return fail("no host key file for key type '" + std::string(algorithm.substr(0, 40)) + "'");
  return "ssh_host_" + std::string(type) + "_key.pub";
}

Result<std::string> host_key_pub_line(const PublicHostKey& key, std::string_view hostname) {
  if (key.base64.size() > kMaxPublicKeyBase64 || !is_base64(key.base64)) {
    return fail("the " + key.algorithm.substr(0, 40) + " host key is not a base64 blob of at most " +
                std::to_string(kMaxPublicKeyBase64) + " characters");
  }
  if (!is_plain_hostname(hostname)) return fail("the container hostname cannot comment a host key");
  return key.algorithm + " " + key.base64 + " root@" + std::string(hostname) + "\n";
}

Result<std::string> host_key_archive(const std::vector<PublicHostKey>& keys, std::string_view hostname,
                                     std::time_t mtime) {
  TarWriter tar(mtime);
  std::set<std::string> written;
  for (const auto& key : keys) {
    auto file_name = host_key_pub_file_name(key.algorithm);
    if (!file_name) return std::unexpected(file_name.error());
    if (!written.insert(*file_name).second) return fail("two host keys would both be " + *file_name);
    auto line = host_key_pub_line(key, hostname);
    if (!line) return std::unexpected(line.error());
    auto added = tar.add_file(*file_name, *line, TarAttributes{.mode = 0644, .uid = 0, .gid = 0, .mtime = mtime});
    if (!added) return std::unexpected(added.error());
  }
  return std::move(tar).finish();
}

}  // namespace hermes::sandbox
