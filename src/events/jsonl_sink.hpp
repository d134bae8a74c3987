#pragma once
// Event sink writing one JSON object per line to a file (events.jsonl, and cowrie.json with a
// Cowrie formatter), appending.
// write() only serialises and enqueues: one writer thread owns the file, so a slow or full
// disk delays the log, never the attacker's session. When the queue is full the event is
// dropped and counted, and the operator log says so at most once per second.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "common/result.hpp"
#include "common/output_file.hpp"
#include "events/bus.hpp"

namespace hermes::events {

// Bounds on what waits for the writer thread. The batch being written is not counted, so
// memory use peaks at about twice max_queued_bytes. (Outside the class so that `Limits{}` can
// be a default argument of open().)
struct JsonLinesLimits {
  std::size_t max_queued_events = 100'000;
  std::size_t max_queued_bytes = 64u << 20;
};

class JsonLinesSink : public Sink {
 public:
  using Limits = JsonLinesLimits;
  // The object written for an event; nullopt leaves the event out of this file.
  using Formatter = std::function<std::optional<nlohmann::ordered_json>(const Event&)>;

  // Creates the parent directory if needed and opens `path` for appending (mode 0640 when new).
  static Result<std::shared_ptr<JsonLinesSink>> open(const std::string& path, std::string sensor,
                                                     Limits limits = {});
  // Same, with each line made by `format` (called on the publishing thread).
  static Result<std::shared_ptr<JsonLinesSink>> open_formatted(const std::string& path, Formatter format,
                                                               Limits limits = {});
  ~JsonLinesSink() override;  // writes everything still queued, then stops the writer thread
  JsonLinesSink(const JsonLinesSink&) = delete;
  JsonLinesSink& operator=(const JsonLinesSink&) = delete;

  void write(const Event& event) override;
  // Blocks until every event enqueued before the call is written and synced to disk.
  void flush() override;

  uint64_t dropped() const;  // events refused because the queue was full
  const std::string& path() const { return path_; }

 private:

  JsonLinesSink(std::string path, Formatter format, Limits limits, FilePtr file);
  void run_writer();
  void write_batch(const std::vector<std::string>& lines);
  void warn_dropped(uint64_t total);

  const std::string path_;
  const Formatter format_;
  const Limits limits_;
  FilePtr file_;  // touched only by the writer thread (and the destructor after join)

  mutable std::mutex mutex_;
  std::condition_variable writer_wake_;   // queue gained lines, or stopping
  std::condition_variable batch_written_; // written_seq_ advanced
  std::vector<std::string> queue_;
  std::size_t queued_bytes_ = 0;
  uint64_t enqueued_seq_ = 0;  // lines accepted so far
  uint64_t written_seq_ = 0;   // lines handed to the kernel so far
  uint64_t dropped_ = 0;
  uint64_t dropped_reported_ = 0;
  std::chrono::steady_clock::time_point last_drop_warning_{};
  bool stopping_ = false;
  bool write_failing_ = false;  // writer thread only: last batch hit an I/O error

  std::thread writer_;  // last: started once everything above is initialised
};

}  // namespace hermes::events
