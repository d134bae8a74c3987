#pragma once
// Counts live sessions: admission against server.max_concurrent_sessions, and the number
// shutdown waits on. Thread-safe.
#include <atomic>
#include <cstddef>
#include <mutex>

namespace hermes::session {

class SessionTracker {
 public:
  explicit SessionTracker(std::size_t max_sessions) : max_(max_sessions) {}
  bool try_admit() {
    std::lock_guard lock(mutex_);
    if (active_ >= max_) return false;
    ++active_;
    return true;
  }
  void release() {
    std::lock_guard lock(mutex_);
    if (active_ > 0) --active_;
  }
  // Shutdown has begun: sessions finishing now keep to what fits in its grace period.
  void begin_shutdown() { shutting_down_ = true; }
  bool shutting_down() const { return shutting_down_; }
  std::size_t active() const {
    std::lock_guard lock(mutex_);
    return active_;
  }

 private:
  mutable std::mutex mutex_;
  std::size_t max_;
  std::size_t active_ = 0;
  std::atomic<bool> shutting_down_{false};
};

}  // namespace hermes::session
