#include "app/retention_policy.hpp"

#include <algorithm>
#include <tuple>

namespace hermes::app {

std::string reason_name(RemovalReason reason) {
  switch (reason) {
    case RemovalReason::age: return "age";
    case RemovalReason::count: return "count";
    case RemovalReason::size: return "size";
  }
  return "unknown";
}

std::vector<ContainerRemoval> select_container_removals(std::vector<StoppedContainer> stopped,
                                                        Clock::time_point now, Clock::duration keep,
                                                        int max_kept) {
  std::sort(stopped.begin(), stopped.end(), [](const StoppedContainer& a, const StoppedContainer& b) {
    return std::tie(a.stopped_at, a.name) < std::tie(b.stopped_at, b.name);
  });
  std::vector<ContainerRemoval> out;
  std::size_t kept_from = 0;  // stopped[kept_from..] survive the age limit
  if (keep > Clock::duration::zero()) {
    while (kept_from < stopped.size() && now - stopped[kept_from].stopped_at >= keep) {
      out.push_back({stopped[kept_from], RemovalReason::age});
      ++kept_from;
    }
  }
  const std::size_t survivors = stopped.size() - kept_from;
  if (max_kept > 0 && survivors > static_cast<std::size_t>(max_kept)) {
    const std::size_t excess = survivors - static_cast<std::size_t>(max_kept);
    for (std::size_t i = kept_from; i < kept_from + excess; ++i) out.push_back({stopped[i], RemovalReason::count});
  }
  return out;
}

std::uint64_t total_bytes(const std::vector<StoredUnit>& units) {
  std::uint64_t total = 0;
  for (const auto& unit : units) total += unit.bytes;
  return total;
}

std::vector<StoredUnit> select_data_removals(std::vector<StoredUnit> units, std::uint64_t cap,
                                             const std::function<bool(const std::string&)>& is_active) {
  std::vector<StoredUnit> out;
  std::uint64_t total = total_bytes(units);
  if (cap == 0 || total <= cap) return out;
  std::sort(units.begin(), units.end(), [](const StoredUnit& a, const StoredUnit& b) {
    return std::tie(a.last_modified, a.session, a.kind) < std::tie(b.last_modified, b.session, b.kind);
  });
  for (auto& unit : units) {
    if (total <= cap) break;
    if (is_active(unit.session)) continue;
    total -= unit.bytes;
    out.push_back(std::move(unit));
  }
  return out;
}

}  // namespace hermes::app
