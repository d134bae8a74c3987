#pragma once
// What retention removes, decided from listings alone (no engine, no disk): which stopped session
// containers go (too old, or beyond the count cap) and which sessions' stored files go (beyond
// the data cap). Oldest first in both cases; kept apart from the I/O so it can be tested with
// made-up listings and clocks.
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace hermes::app {

using Clock = std::chrono::system_clock;

struct StoppedContainer {
  std::string id;
  std::string name;     // without Docker's leading '/'
  std::string session;  // the session it served
  Clock::time_point stopped_at;
  std::string stopped_at_text;  // as the engine said it (ISO 8601)
};

enum class RemovalReason { age, count, size };
std::string reason_name(RemovalReason reason);  // "age", "count", "size": the events' `reason`

struct ContainerRemoval {
  StoppedContainer container;
  RemovalReason reason;
};

// Containers stopped longer than `keep` ago go for age (keep == 0: no age limit); of the rest,
// all but the `max_kept` most recently stopped go for count (max_kept == 0: no cap). The result
// is ordered oldest first; ties are broken by name so that a sweep is repeatable.
std::vector<ContainerRemoval> select_container_removals(std::vector<StoppedContainer> stopped,
                                                        Clock::time_point now, Clock::duration keep,
                                                        int max_kept);

// One session's files in the data directories. Recordings are one unit per session today; the
// artifact store (issue 4) adds its own units, so `kind` says which store a unit belongs to.
struct StoredUnit {
  std::string kind;     // "recording"
  std::string session;  // whose files these are
  std::vector<std::string> paths;
  std::uint64_t bytes = 0;
  Clock::time_point last_modified;  // the newest of its files: when the session last wrote
};

std::uint64_t total_bytes(const std::vector<StoredUnit>& units);

// While the units' total exceeds `cap`, the oldest unit whose session is not active goes
// (cap == 0: no cap). Units of active sessions are never chosen, even if the cap stays exceeded.
std::vector<StoredUnit> select_data_removals(std::vector<StoredUnit> units, std::uint64_t cap,
                                             const std::function<bool(const std::string&)>& is_active);

}  // namespace hermes::app
