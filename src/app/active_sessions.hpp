#pragma once
// Which sessions are still running, for retention: their recordings are open and their
// containers in use, so neither is ever removed. The app registers each session it creates
// (a weak reference to the session object); a session counts as running until that object is
// gone, which is after it closed its recording and stopped its container. Noticing that sessions
// ended also tells retention when a sweep is worth running. Thread-safe.
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

namespace hermes::app {

class ActiveSessions {
 public:
  void track(const std::string& session, std::weak_ptr<const void> owner);
  bool is_active(const std::string& session) const;
  // Forgets sessions whose object is gone; returns how many were forgotten by this call.
  std::size_t collect_ended();

 private:
  std::size_t prune_locked();

  mutable std::mutex mutex_;
  std::unordered_map<std::string, std::weak_ptr<const void>> sessions_;
  std::size_t ended_unreported_ = 0;  // pruned by track(), not yet returned by collect_ended()
};

}  // namespace hermes::app
