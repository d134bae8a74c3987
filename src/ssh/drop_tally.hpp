#pragma once
// Counts connections refused by admission so that a flood is reported, not replayed: drops are
// summed per (source address, reason) over a window. The first drop of a pair in a window is
// reported at once (an analyst sees a flood start without delay); the rest of that window's
// drops for the pair are reported as one sum when the window ends. A window itemises at most
// `max_pairs` pairs; drops of further pairs go into one overflow summary (per-reason counts).
// So one window yields at most 2 * max_pairs + 1 summaries, whatever the flood. Pure logic:
// the caller passes the time, runs the window timer and serialises calls.
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "ssh/admission.hpp"

namespace hermes::ssh {

struct DropSummary {
  std::string address;  // empty for the overflow summary
  uint16_t port = 0;    // the dropped connection's port in an immediate report; 0 in sums
  AdmissionRefusal reason = AdmissionRefusal::none;  // none for the overflow summary
  uint64_t count = 0;
  std::map<std::string, uint64_t> reasons;  // overflow summary only: drops per reason
  std::chrono::system_clock::time_point window_start;
};

class DropTally {
 public:
  DropTally(std::chrono::seconds window, std::size_t max_pairs) : window_(window), max_pairs_(max_pairs) {}

  struct Recorded {
    std::optional<DropSummary> report_now;
    bool window_opened = false;  // the caller should end the window `window()` from now
  };
  Recorded record(const std::string& address, uint16_t port, AdmissionRefusal reason,
                  std::chrono::system_clock::time_point now);

  // Closes the window: sums not yet reported (and the overflow summary, if any).
  std::vector<DropSummary> end_window();

  std::chrono::seconds window() const { return window_; }
  bool window_open() const { return open_; }
  // The closing window's totals, for the operator log (read before end_window()).
  uint64_t window_total() const { return total_; }
  const std::map<std::string, uint64_t>& window_reasons() const { return total_by_reason_; }

 private:
  struct Pair {
    std::string address;
    AdmissionRefusal reason;
    uint64_t unreported = 0;
  };
  const std::chrono::seconds window_;
  const std::size_t max_pairs_;
  bool open_ = false;
  std::chrono::system_clock::time_point window_start_;
  std::unordered_map<std::string, Pair> pairs_;  // key: reason + address
  DropSummary overflow_;
  uint64_t total_ = 0;
  std::map<std::string, uint64_t> total_by_reason_;
};

}  // namespace hermes::ssh
