#include "sandbox/container_names.hpp"

namespace hermes::sandbox {
namespace {
constexpr std::size_t kMaxPartLength = 64;
}

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

}  // namespace hermes::sandbox
