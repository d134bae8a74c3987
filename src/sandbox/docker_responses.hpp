#pragma once
// Pure helpers that turn the Docker engine's answers into values or Errors. The engine is
// trusted to be Docker but not to be well-formed: a body may be truncated, not JSON, or carry
// text that came from inside a container, so every field is type-checked and every text that
// may reach a log is bounded and stripped of control bytes.
#include <cstddef>
#include <cstdint>
#include <ctime>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.hpp"
#include "sandbox/docker_client.hpp"

namespace hermes::sandbox {

// The newest Engine API version this client was verified against (Docker 20.10). Paths use it
// until ping() has learnt the engine's own version, and never a newer one afterwards, so the
// engine keeps the behaviour this client expects (as the docker CLI negotiates).
inline constexpr std::string_view kDefaultApiVersion = "1.41";

// Printable ASCII only (anything else becomes '?'), at most `max_bytes` bytes, "..." when cut.
std::string sanitize_engine_text(std::string_view text, std::size_t max_bytes = 512);

// Error for a non-2xx answer: names the request ("POST /v1.41/containers/create"), the status
// and Docker's JSON "message" (or the start of a non-JSON body); code = the HTTP status.
Error http_status_error(std::string_view request, unsigned status, std::string_view reason,
                        std::string_view body);

// Reads ApiVersion from a GET /version body and returns the version to use in paths: the lower
// of the engine's and kDefaultApiVersion. Error when the field is missing or not "N.N".
Result<std::string> negotiate_api_version(std::string_view version_body);

// Whether `version` ("N.N", as negotiate_api_version returns it) is at least major.minor;
// false for a malformed one.
bool api_version_at_least(std::string_view version, unsigned major, unsigned minor);

// Exec create takes ConsoleSize [rows, cols] from API 1.42 on (Docker 23); older engines (and
// newer ones spoken to at 1.41) ignore it and start the exec's terminal at 0x0.
inline constexpr unsigned kExecConsoleSizeMajor = 1;
inline constexpr unsigned kExecConsoleSizeMinor = 42;

// Parses a JSON body; Error names `what` when it is not JSON.
Result<Json> parse_json_body(std::string_view body, std::string_view what);

// The "Id" of a created container or exec: non-empty, at most 128 bytes of [0-9A-Za-z_.-].
Result<std::string> parse_created_id(std::string_view body, std::string_view what);

// GET /exec/{id}/json: Running (bool) and ExitCode (int; null while running gives -1).
Result<ExecState> parse_exec_state(std::string_view body);

// GET /containers/{id}/json?size=1: SizeRw, the bytes in the container's writable layer.
// Error when the field is missing, null (the engine could not compute it) or not a
// non-negative integer.
Result<int64_t> parse_writable_layer_size(std::string_view body);

// GET /images/{name}/json: Created ("2026-11-22T18:05:03.591307212Z", UTC) in seconds since
// the epoch; nullopt when it is missing, not such a time or before 1970 (never an exception).
std::optional<std::time_t> parse_image_created(std::string_view body);

// GET /containers/{id}/json, already parsed: State.Running (bool) and State.ExitCode (int).
// Error when State is missing or a field has the wrong type (never an exception).
Result<ExecState> parse_container_state(const Json& inspect);

// POST /containers/{id}/wait: StatusCode, or the engine's Error.Message.
Result<int> parse_wait_status(std::string_view body);

// POST /images/create answers with newline-separated JSON progress objects; one carrying
// "error" (or "errorDetail") means the import failed even though the status was 200.
Result<void> check_import_progress(std::string_view body);

// Image references as Docker accepts them: [A-Za-z0-9._-/:@], at most 255 bytes, no empty or
// ".." path segment, so one cannot address another API route through the image name.
bool is_valid_image_reference(std::string_view image);

}  // namespace hermes::sandbox
