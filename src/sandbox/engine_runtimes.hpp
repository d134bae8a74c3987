#pragma once
// Whether the Docker engine offers the OCI runtime the configuration asks for
// (container_pool.security.runtime). Checked once at start: without it every container create
// would fail later with Docker's "unknown or invalid runtime name", one session at a time.
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"

namespace hermes::sandbox {

// The runtime names in a GET /info body ("Runtimes": {"runc": {...}, "runsc": {...}}), sorted.
// Error when the body is not JSON or has no Runtimes object.
Result<std::vector<std::string>> parse_runtime_names(std::string_view info_body);

// Success when `wanted` is empty (the engine's default) or among `offered`; otherwise an Error
// that names what the engine offers and how to register the runtime.
Result<void> require_runtime(std::string_view wanted, const std::vector<std::string>& offered);

}  // namespace hermes::sandbox
