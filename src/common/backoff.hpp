#pragma once
// Retry delays that double from 1 s up to 30 s: how Hermes waits for the Docker engine, for a
// pool container that would not start, and for a broken event stream. One policy, so the
// operator log reads the same everywhere.
#include <algorithm>
#include <chrono>
#include <string>

namespace hermes {

class Backoff {
 public:
  static constexpr std::chrono::seconds kFirst{1};
  static constexpr std::chrono::seconds kMax{30};

  // The delay to wait now; the next one is twice as long, up to kMax.
  std::chrono::seconds next() {
    const auto now = delay_;
    delay_ = std::min(delay_ * 2, kMax);
    return now;
  }
  void reset() { delay_ = kFirst; }

 private:
  std::chrono::seconds delay_ = kFirst;
};

// "5 s", as the operator log writes durations.
inline std::string seconds_text(std::chrono::seconds s) { return std::to_string(s.count()) + " s"; }

}  // namespace hermes
