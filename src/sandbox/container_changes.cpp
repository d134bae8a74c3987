#include "sandbox/container_changes.hpp"

#include <nlohmann/json.hpp>

namespace hermes::sandbox {

Result<ContainerChanges> parse_container_changes(std::string_view body) {
  const auto parsed = nlohmann::json::parse(body, nullptr, false);
  if (parsed.is_discarded()) return fail("Docker container changes: answer is not JSON");
  ContainerChanges out;
  if (parsed.is_null()) return out;
  if (!parsed.is_array()) return fail("Docker container changes: answer is not an array");
  for (const auto& item : parsed) {
    if (out.entries.size() >= kMaxContainerChanges) {
      ++out.dropped;
      continue;
    }
    const auto path = item.is_object() ? item.find("Path") : item.end();
    const auto kind = item.is_object() ? item.find("Kind") : item.end();
    if (!item.is_object() || path == item.end() || kind == item.end() || !path->is_string() ||
        !kind->is_number_integer()) {
      ++out.dropped;
      continue;
    }
    const auto& text = path->get_ref<const std::string&>();
    const auto number = kind->get<std::int64_t>();
    if (text.empty() || text.front() != '/' || text.size() > kMaxChangePath ||
        text.find('\0') != std::string::npos || number < 0 || number > 2) {
      ++out.dropped;
      continue;
    }
    out.entries.push_back({text, static_cast<ChangeKind>(number)});
  }
  return out;
}

}  // namespace hermes::sandbox
