#include "ssh/drop_tally.hpp"

namespace hermes::ssh {

DropTally::Recorded DropTally::record(const std::string& address, uint16_t port, AdmissionRefusal reason,
                                      std::chrono::system_clock::time_point now) {
  Recorded result;
  if (!open_) {
    open_ = true;
    result.window_opened = true;
    window_start_ = now;
    overflow_ = DropSummary{};
  }
  const std::string reason_text(refusal_name(reason));
  ++total_;
  ++total_by_reason_[reason_text];

  const std::string key = reason_text + ' ' + address;
  if (auto it = pairs_.find(key); it != pairs_.end()) {
    ++it->second.unreported;
    return result;
  }
  if (pairs_.size() >= max_pairs_) {
    ++overflow_.count;
    ++overflow_.reasons[reason_text];
    return result;
  }
  pairs_.emplace(key, Pair{address, reason, 0});
  result.report_now = DropSummary{address, port, reason, 1, {}, window_start_};
  return result;
}

std::vector<DropSummary> DropTally::end_window() {
  std::vector<DropSummary> out;
  for (auto& [key, pair] : pairs_) {
    if (pair.unreported > 0) out.push_back(DropSummary{pair.address, 0, pair.reason, pair.unreported, {}, window_start_});
  }
  if (overflow_.count > 0) {
    overflow_.window_start = window_start_;
    out.push_back(std::move(overflow_));
  }
  pairs_.clear();
  overflow_ = DropSummary{};
  total_ = 0;
  total_by_reason_.clear();
  open_ = false;
  return out;
}

}  // namespace hermes::ssh
