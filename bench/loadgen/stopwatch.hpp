#pragma once
// Monotonic time in the units the reports use (milliseconds and seconds as doubles).
#include <chrono>

namespace hermes::loadgen {

using Clock = std::chrono::steady_clock;

inline double ms_between(Clock::time_point from, Clock::time_point to) {
  return std::chrono::duration<double, std::milli>(to - from).count();
}

inline double ms_since(Clock::time_point from) { return ms_between(from, Clock::now()); }

inline double seconds_since(Clock::time_point from) { return ms_since(from) / 1000.0; }

// Milliseconds left until `deadline`, never negative (libssh timeouts are ints in ms).
inline int ms_left(Clock::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
  return left > 0 ? static_cast<int>(left) : 0;
}

}  // namespace hermes::loadgen
