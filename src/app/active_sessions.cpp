#include "app/active_sessions.hpp"

namespace hermes::app {

void ActiveSessions::track(const std::string& session, std::weak_ptr<const void> owner) {
  std::lock_guard lock(mutex_);
  // Pruning here keeps the table as small as the number of live sessions.
  ended_unreported_ += prune_locked();
  sessions_[session] = std::move(owner);
}

bool ActiveSessions::is_active(const std::string& session) const {
  std::lock_guard lock(mutex_);
  const auto found = sessions_.find(session);
  return found != sessions_.end() && !found->second.expired();
}

std::size_t ActiveSessions::collect_ended() {
  std::lock_guard lock(mutex_);
  const std::size_t ended = ended_unreported_ + prune_locked();
  ended_unreported_ = 0;
  return ended;
}

std::size_t ActiveSessions::prune_locked() {
  return std::erase_if(sessions_, [](const auto& entry) { return entry.second.expired(); });
}

}  // namespace hermes::app
