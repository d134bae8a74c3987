#include "sandbox/container_names.hpp"

namespace hermes::sandbox {
namespace {
constexpr std::size_t kMaxPartLength = 64;
constexpr std::size_t kSessionIdLength = 12;

std::string_view without_slash(std::string_view name) {
  if (!name.empty() && name.front() == '/') name.remove_prefix(1);
  return name;
}

bool is_lower_hex(std::string_view text) {
  for (char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}
}  // namespace

std::string sanitize_name_part(std::string_view text) {
  std::string out;
  for (char c : text.substr(0, kMaxPartLength)) {
    const bool allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                         (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
    out += allowed ? c : '-';
  }
  return out.empty() ? "x" : out;
}

std::string pool_container_name(std::string_view sensor, std::string_view suffix) {
  return "hermes-pool-" + sanitize_name_part(sensor) + "-" + sanitize_name_part(suffix);
}

std::string session_container_name(std::string_view sensor, std::string_view session_id) {
  return "hermes-" + sanitize_name_part(sensor) + "-" + sanitize_name_part(session_id);
}

bool is_pool_container_name(std::string_view sensor, std::string_view name) {
  const std::string prefix = pool_container_name(sensor, "");
  // pool_container_name turns the empty suffix into "x"; the prefix is everything before it.
  const std::string_view stem = std::string_view(prefix).substr(0, prefix.size() - 1);
  name = without_slash(name);
  return name.size() > stem.size() && name.substr(0, stem.size()) == stem;
}

std::string session_of_container_name(std::string_view sensor, std::string_view name) {
  const std::string prefix = "hermes-" + sanitize_name_part(sensor) + "-";
  name = without_slash(name);
  if (name.size() != prefix.size() + kSessionIdLength || name.substr(0, prefix.size()) != prefix) return {};
  const std::string_view id = name.substr(prefix.size());
  return is_lower_hex(id) ? std::string(id) : std::string();
}

}  // namespace hermes::sandbox
