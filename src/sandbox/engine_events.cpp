#include "sandbox/engine_events.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace hermes::sandbox {
namespace {

// Docker ids are 64 hex digits; names are short. Bounds keep a hostile engine from making us
// carry big strings around.
constexpr std::size_t kMaxIdLength = 128;
constexpr std::size_t kMaxNameLength = 256;

std::string bounded_string(const nlohmann::json& object, const char* key, std::size_t max) {
  if (!object.is_object()) return {};
  const auto it = object.find(key);
  if (it == object.end() || !it->is_string()) return {};
  const auto& text = it->get_ref<const std::string&>();
  return text.size() <= max ? text : std::string();
}

}  // namespace

void LineSplitter::feed(std::string_view bytes, std::vector<std::string>& lines) {
  while (!bytes.empty()) {
    const auto newline = bytes.find('\n');
    const std::string_view piece = bytes.substr(0, newline);
    if (!discarding_) {
      if (partial_.size() + piece.size() > max_line_) {
        discarding_ = true;
        partial_.clear();
        partial_.shrink_to_fit();
      } else {
        partial_.append(piece);
      }
    }
    if (newline == std::string_view::npos) return;
    bytes.remove_prefix(newline + 1);
    if (discarding_) {
      discarding_ = false;
      ++dropped_;
      continue;
    }
    if (!partial_.empty() && partial_.back() == '\r') partial_.pop_back();
    if (!partial_.empty()) lines.push_back(std::move(partial_));
    partial_.clear();
  }
}

std::optional<ContainerEvent> parse_container_event(std::string_view line) {
  const auto parsed = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (!parsed.is_object()) return std::nullopt;
  if (bounded_string(parsed, "Type", 32) != "container") return std::nullopt;
  ContainerEvent event;
  event.action = bounded_string(parsed, "Action", 64);
  const auto actor = parsed.find("Actor");
  if (actor == parsed.end() || !actor->is_object()) return std::nullopt;
  event.id = bounded_string(*actor, "ID", kMaxIdLength);
  const auto attributes = actor->find("Attributes");
  if (attributes != actor->end()) event.name = bounded_string(*attributes, "name", kMaxNameLength);
  if (event.action.empty() || event.id.empty()) return std::nullopt;
  return event;
}

bool ends_container(std::string_view action) {
  return std::find(std::begin(kContainerEndActions), std::end(kContainerEndActions), action) !=
         std::end(kContainerEndActions);
}

}  // namespace hermes::sandbox
