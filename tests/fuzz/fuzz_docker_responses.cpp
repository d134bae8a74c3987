// The engine's answers are untrusted too (a compromised or impostor engine, a proxy in between,
// text from inside a container in an error). Every parser of the engine's answers (create,
// inspect, wait, info, ...) gets the same bytes. Properties: no exception escapes; every message
// that may reach the operator log is printable ASCII and bounded; accepted ids, versions, sizes
// and runtime names have the promised shape.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "sandbox/container_changes.hpp"
#include "sandbox/docker_responses.hpp"
#include "sandbox/engine_runtimes.hpp"

namespace sb = hermes::sandbox;

namespace {
bool printable_ascii(std::string_view text) {
  for (unsigned char c : text)
    if (c < 0x20 || c >= 0x7f) return false;
  return true;
}
// Our own words plus at most one sanitized engine text (512 + "...") and a reason (64 + "...").
constexpr std::size_t kMaxMessage = 1024;

void check_message(const hermes::Error& error) {
  if (!printable_ascii(error.message) || error.message.size() > kMaxMessage) std::abort();
}
template <class T>
void check_result(const hermes::Result<T>& result) {
  if (!result) check_message(result.error());
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);

  const std::string clean = sb::sanitize_engine_text(body);
  if (!printable_ascii(clean) || clean.size() > 512 + 3) std::abort();

  // The first line of the input doubles as the status line's reason phrase.
  const std::string_view reason = body.substr(0, body.find('\n'));
  check_message(sb::http_status_error("GET /v1.41/containers/json", 500, reason, body));

  const auto version = sb::negotiate_api_version(body);
  check_result(version);
  if (version) {
    // "N.N", never newer than the version this client was verified against (1.41).
    unsigned major = 0, minor = 0;
    char tail = 0;
    if (std::sscanf(version->c_str(), "%u.%u%c", &major, &minor, &tail) != 2) std::abort();
    if (major > 1 || (major == 1 && minor > 41)) std::abort();
  }

  const auto id = sb::parse_created_id(body, "POST /v1.41/containers/create");
  check_result(id);
  if (id) {
    if (id->empty() || id->size() > 128) std::abort();
    for (char c : *id)
      if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-')) std::abort();
  }
  check_result(sb::parse_exec_state(body));
  const sb::Json parsed = sb::Json::parse(body, nullptr, false);
  check_result(sb::parse_container_state(parsed));
  check_result(sb::parse_wait_status(body));
  check_result(sb::check_import_progress(body));
  check_result(sb::parse_json_body(body, "GET /v1.41/info"));
  (void)sb::is_valid_image_reference(body);

  // GET /containers/{id}/changes: bounded, absolute, NUL-free paths and a known kind.
  const auto changes = sb::parse_container_changes(body);
  check_result(changes);
  if (changes) {
    if (changes->entries.size() > sb::kMaxContainerChanges) std::abort();
    for (const auto& change : changes->entries) {
      if (change.path.empty() || change.path[0] != '/' || change.path.size() > sb::kMaxChangePath ||
          change.path.find('\0') != std::string::npos || static_cast<int>(change.kind) < 0 ||
          static_cast<int>(change.kind) > 2)
        std::abort();
    }
  }

  const auto layer = sb::parse_writable_layer_size(body);
  check_result(layer);
  if (layer && *layer < 0) std::abort();

  // GET /info: at most 64 runtimes, each name printable and bounded (64 + "..."), sorted; the
  // operator's error naming them stays printable however many there are.
  const auto runtimes = sb::parse_runtime_names(body);
  check_result(runtimes);
  if (runtimes) {
    if (runtimes->size() > 64 || !std::is_sorted(runtimes->begin(), runtimes->end())) std::abort();
    for (const auto& name : *runtimes)
      if (!printable_ascii(name) || name.size() > 64 + 3) std::abort();
    const auto required = sb::require_runtime("runsc", *runtimes);
    if (!required && !printable_ascii(required.error().message)) std::abort();
  }
  return 0;
}
