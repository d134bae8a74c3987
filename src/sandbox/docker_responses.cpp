#include "sandbox/docker_responses.hpp"

#include <charconv>
#include <cstdio>
#include <limits>

namespace hermes::sandbox {
namespace {

constexpr std::size_t kMaxIdBytes = 128;

struct ApiVersion {
  unsigned major = 0;
  unsigned minor = 0;
  auto operator<=>(const ApiVersion&) const = default;
};

bool parse_unsigned(std::string_view text, unsigned& out) {
  if (text.empty() || text.size() > 4) return false;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && ptr == text.data() + text.size();
}

bool parse_api_version(std::string_view text, ApiVersion& out) {
  const auto dot = text.find('.');
  if (dot == std::string_view::npos) return false;
  return parse_unsigned(text.substr(0, dot), out.major) &&
         parse_unsigned(text.substr(dot + 1), out.minor);
}

bool is_id_byte(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
         c == '.' || c == '-';
}

// Docker's progress and error objects put the text in "error" (legacy) or errorDetail.message.
std::string progress_error_text(const Json& object) {
  if (auto it = object.find("error"); it != object.end() && it->is_string()) {
    return it->get<std::string>();
  }
  if (auto it = object.find("errorDetail"); it != object.end() && it->is_object()) {
    if (auto message = it->find("message"); message != it->end() && message->is_string()) {
      return message->get<std::string>();
    }
    return "unknown error";
  }
  return {};
}

}  // namespace

std::string sanitize_engine_text(std::string_view text, std::size_t max_bytes) {
  const bool cut = text.size() > max_bytes;
  if (cut) text = text.substr(0, max_bytes);
  std::string out;
  out.reserve(text.size() + 3);
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    out.push_back(byte >= 0x20 && byte < 0x7F ? c : '?');
  }
  if (cut) out += "...";
  return out;
}

Error http_status_error(std::string_view request, unsigned status, std::string_view reason,
                        std::string_view body) {
  std::string detail;
  const Json parsed = Json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_object()) {
    if (auto it = parsed.find("message"); it != parsed.end() && it->is_string()) {
      detail = it->get<std::string>();
    }
  }
  if (detail.empty() && !parsed.is_object()) {
    detail = std::string(body);  // plain-text answers such as Go's "404 page not found"
  }
  while (!detail.empty() && (detail.back() == '\n' || detail.back() == '\r')) detail.pop_back();
  std::string message = "Docker " + std::string(request) + " failed: HTTP " +
                        std::to_string(status);
  if (!reason.empty()) message += " " + sanitize_engine_text(reason, 64);
  if (!detail.empty()) message += ": " + sanitize_engine_text(detail);
  return Error{std::move(message), static_cast<int>(status)};
}

Result<std::string> negotiate_api_version(std::string_view version_body) {
  const Json parsed = Json::parse(version_body, nullptr, false);
  if (!parsed.is_object()) return fail("Docker GET /version did not answer with a JSON object");
  const auto it = parsed.find("ApiVersion");
  if (it == parsed.end() || !it->is_string()) {
    return fail("Docker GET /version has no ApiVersion");
  }
  const auto& engine_text = it->get_ref<const std::string&>();
  ApiVersion engine;
  ApiVersion ours;
  parse_api_version(kDefaultApiVersion, ours);
  if (!parse_api_version(engine_text, engine)) {
    return fail("Docker GET /version has a malformed ApiVersion '" +
                sanitize_engine_text(engine_text, 32) + "'");
  }
  if (engine >= ours) return std::string(kDefaultApiVersion);
  return std::to_string(engine.major) + "." + std::to_string(engine.minor);
}

bool api_version_at_least(std::string_view version, unsigned major, unsigned minor) {
  ApiVersion parsed;
  if (!parse_api_version(version, parsed)) return false;
  return parsed >= ApiVersion{major, minor};
}

Result<Json> parse_json_body(std::string_view body, std::string_view what) {
  Json parsed = Json::parse(body, nullptr, false);
  if (parsed.is_discarded()) {
    return fail("Docker " + std::string(what) + " answered with a body that is not JSON");
  }
  return parsed;
}

Result<std::string> parse_created_id(std::string_view body, std::string_view what) {
  const Json parsed = Json::parse(body, nullptr, false);
  const Json* id = nullptr;
  if (parsed.is_object()) {
    if (auto it = parsed.find("Id"); it != parsed.end() && it->is_string()) id = &*it;
  }
  if (id == nullptr) return fail("Docker " + std::string(what) + " answered without an Id");
  const auto& text = id->get_ref<const std::string&>();
  bool plausible = !text.empty() && text.size() <= kMaxIdBytes;
  for (char c : text) plausible = plausible && is_id_byte(c);
  if (!plausible) {
    return fail("Docker " + std::string(what) + " answered with a malformed Id '" +
                sanitize_engine_text(text, 80) + "'");
  }
  return text;
}

namespace {
// Running and ExitCode of an exec inspect body or a container's State object.
Result<ExecState> read_run_state(const Json& object, std::string_view what) {
  if (!object.is_object()) return fail("Docker " + std::string(what) + " did not answer with a JSON object");
  const auto running = object.find("Running");
  if (running == object.end() || !running->is_boolean()) {
    return fail("Docker " + std::string(what) + " has no boolean Running");
  }
  ExecState state;
  state.running = running->get<bool>();
  const auto exit_code = object.find("ExitCode");
  if (exit_code == object.end() || exit_code->is_null()) return state;
  if (!exit_code->is_number_integer()) return fail("Docker " + std::string(what) + " has a non-integer ExitCode");
  const auto value = exit_code->get<int64_t>();
  if (value < std::numeric_limits<int>::min() || value > std::numeric_limits<int>::max()) {
    return fail("Docker " + std::string(what) + " has an ExitCode out of range");
  }
  state.exit_code = static_cast<int>(value);
  return state;
}
}  // namespace

Result<ExecState> parse_exec_state(std::string_view body) {
  return read_run_state(Json::parse(body, nullptr, false), "exec inspect");
}

Result<ExecState> parse_container_state(const Json& inspect) {
  if (!inspect.is_object()) return fail("Docker container inspect did not answer with a JSON object");
  const auto state = inspect.find("State");
  if (state == inspect.end()) return fail("Docker container inspect has no State");
  return read_run_state(*state, "container inspect State");
}

std::optional<std::time_t> parse_image_created(std::string_view body) {
  const Json parsed = Json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (!parsed.is_object()) return std::nullopt;
  const auto created = parsed.find("Created");
  if (created == parsed.end() || !created->is_string()) return std::nullopt;
  const std::string& text = created->get_ref<const std::string&>();
  // Only the whole seconds matter: YYYY-MM-DDTHH:MM:SS, then a fraction and Z (always UTC).
  std::tm parts{};
  char tail = 0;
  if (text.size() < 20 ||
      std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%c", &parts.tm_year, &parts.tm_mon, &parts.tm_mday,
                  &parts.tm_hour, &parts.tm_min, &parts.tm_sec, &tail) != 7 ||
      (tail != '.' && tail != 'Z') || text.back() != 'Z') {
    return std::nullopt;
  }
  if (parts.tm_mon < 1 || parts.tm_mon > 12 || parts.tm_mday < 1 || parts.tm_mday > 31 || parts.tm_hour > 23 ||
      parts.tm_min > 59 || parts.tm_sec > 60) {
    return std::nullopt;
  }
  parts.tm_year -= 1900;
  parts.tm_mon -= 1;
  const std::time_t seconds = ::timegm(&parts);
  if (seconds < 0) return std::nullopt;
  return seconds;
}

Result<int64_t> parse_writable_layer_size(std::string_view body) {
  const Json parsed = Json::parse(body, nullptr, false);
  if (!parsed.is_object()) return fail("Docker container inspect did not answer with a JSON object");
  const auto size = parsed.find("SizeRw");
  if (size == parsed.end() || size->is_null()) return fail("Docker container inspect has no SizeRw");
  // Whole numbers only; a float or a negative value means the engine is not what we expect.
  if (size->is_number_unsigned()) {
    const auto value = size->get<uint64_t>();
    if (value > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
      return fail("Docker container inspect has a SizeRw out of range");
    }
    return static_cast<int64_t>(value);
  }
  return fail("Docker container inspect has a SizeRw that is not a non-negative integer");
}

Result<int> parse_wait_status(std::string_view body) {
  const Json parsed = Json::parse(body, nullptr, false);
  if (!parsed.is_object()) return fail("Docker container wait did not answer with a JSON object");
  if (auto error = parsed.find("Error"); error != parsed.end() && error->is_object()) {
    if (auto message = error->find("Message");
        message != error->end() && message->is_string() && !message->get_ref<const std::string&>().empty()) {
      return fail("Docker container wait failed: " + sanitize_engine_text(message->get<std::string>()));
    }
  }
  const auto status = parsed.find("StatusCode");
  if (status == parsed.end() || !status->is_number_integer()) {
    return fail("Docker container wait has no integer StatusCode");
  }
  const auto value = status->get<int64_t>();
  if (value < std::numeric_limits<int>::min() || value > std::numeric_limits<int>::max()) {
    return fail("Docker container wait has a StatusCode out of range");
  }
  return static_cast<int>(value);
}

Result<void> check_import_progress(std::string_view body) {
  std::size_t line_number = 0;
  while (!body.empty()) {
    const auto newline = body.find('\n');
    std::string_view line = body.substr(0, newline);
    body.remove_prefix(newline == std::string_view::npos ? body.size() : newline + 1);
    ++line_number;
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.remove_suffix(1);
    if (line.empty()) continue;
    const Json object = Json::parse(line, nullptr, false);
    if (!object.is_object()) {
      return fail("Docker image import: progress line " + std::to_string(line_number) +
                  " is not a JSON object");
    }
    const std::string error = progress_error_text(object);
    if (!error.empty()) return fail("Docker image import failed: " + sanitize_engine_text(error));
  }
  return {};
}

bool is_valid_image_reference(std::string_view image) {
  if (image.empty() || image.size() > 255) return false;
  for (char c : image) {
    const bool allowed = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
                         (c >= 'A' && c <= 'Z') || c == '.' || c == '_' || c == '-' || c == '/' ||
                         c == ':' || c == '@';
    if (!allowed) return false;
  }
  std::string_view rest = image;
  while (true) {
    const auto slash = rest.find('/');
    const std::string_view segment = rest.substr(0, slash);
    if (segment.empty() || segment == "." || segment == "..") return false;
    if (slash == std::string_view::npos) return true;
    rest.remove_prefix(slash + 1);
  }
}

}  // namespace hermes::sandbox
