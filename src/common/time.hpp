#pragma once
#include <chrono>
#include <cstdint>
#include <string>

namespace hermes {

// "2026-11-22T06:07:41.730873Z": ISO 8601, UTC, microseconds, as Cowrie writes it.
std::string iso8601(std::chrono::system_clock::time_point t);
// Whole milliseconds since `start`, as events report durations.
inline int64_t elapsed_ms(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
}

inline std::string iso8601_now() { return iso8601(std::chrono::system_clock::now()); }

}  // namespace hermes
