#pragma once
// The Docker engine's event stream (GET /events), read defensively: the stream is split into
// lines of bounded size (longer ones are dropped whole, not buffered), and each line is parsed
// into the few fields the pool acts on. Nothing here trusts the engine's bytes.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hermes::sandbox {

// An event line the engine sends is a few hundred bytes; one beyond this is dropped.
inline constexpr std::size_t kMaxEngineEventLine = 64 * 1024;

// Splits bytes into '\n'-terminated lines (the '\n' and a trailing '\r' removed). A line longer
// than max_line is skipped up to its end and counted in dropped(); memory stays <= max_line.
class LineSplitter {
 public:
  explicit LineSplitter(std::size_t max_line = kMaxEngineEventLine) : max_line_(max_line) {}
  void feed(std::string_view bytes, std::vector<std::string>& lines);
  std::size_t dropped() const { return dropped_; }

 private:
  std::size_t max_line_;
  std::string partial_;
  bool discarding_ = false;
  std::size_t dropped_ = 0;
};

struct ContainerEvent {
  std::string action;  // "die", "oom", "destroy", ...
  std::string id;      // full container id
  std::string name;    // Actor.Attributes.name, may be empty
};

// A container event from one line of the stream; nullopt for anything else or malformed input.
std::optional<ContainerEvent> parse_container_event(std::string_view line);

// The actions after which a container can no longer serve a session.
inline constexpr std::string_view kContainerEndActions[] = {"die", "oom", "destroy"};
bool ends_container(std::string_view action);

}  // namespace hermes::sandbox
