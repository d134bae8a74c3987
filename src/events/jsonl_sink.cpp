#include "events/jsonl_sink.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <system_error>

#include "common/log.hpp"

namespace hermes::events {
namespace {

std::string errno_text(int err) { return std::system_category().message(err); }

}  // namespace

Result<std::shared_ptr<JsonLinesSink>> JsonLinesSink::open(const std::string& path,
                                                           std::string sensor, Limits limits) {
  Formatter hermes_format = [sensor = std::move(sensor)](const Event& event) -> std::optional<nlohmann::ordered_json> {
    return to_json(event, sensor);
  };
  return open_formatted(path, std::move(hermes_format), limits);
}

Result<std::shared_ptr<JsonLinesSink>> JsonLinesSink::open_formatted(const std::string& path, Formatter format,
                                                                     Limits limits) {
  const auto parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(parent, ec);
    if (ec) {
      return fail("cannot create directory " + parent.string() + " for " + path + ": " +
                      ec.message(),
                  ec.value());
    }
  }
  auto file = open_output_file(path, OpenMode::append, "event log");
  if (!file) return std::unexpected(file.error());
  return std::shared_ptr<JsonLinesSink>(
      new JsonLinesSink(path, std::move(format), limits, std::move(*file)));
}

JsonLinesSink::JsonLinesSink(std::string path, Formatter format, Limits limits, FilePtr file)
    : path_(std::move(path)),
      format_(std::move(format)),
      limits_(limits),
      file_(std::move(file)),
      writer_([this] { run_writer(); }) {}

JsonLinesSink::~JsonLinesSink() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  writer_wake_.notify_one();
  writer_.join();  // the writer drains the queue before it returns
  std::lock_guard lock(mutex_);
  if (dropped_ > dropped_reported_) {
    log::warn("events", "event log " + path_ + ": " + std::to_string(dropped_) +
                            " events dropped in total because the queue was full");
  }
}

void JsonLinesSink::write(const Event& event) {
  // Serialise on the caller's thread: the queue then holds plain bytes with a known size.
  // Attacker bytes that are not UTF-8 become U+FFFD instead of throwing.
  const auto object = format_(event);
  if (!object) return;
  std::string line = object->dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  line += '\n';

  bool wake_writer = false;
  uint64_t warn_total = 0;
  {
    std::lock_guard lock(mutex_);
    const bool full = queue_.size() >= limits_.max_queued_events ||
                      queued_bytes_ + line.size() > limits_.max_queued_bytes;
    if (!full) {
      // The writer only sleeps on an empty queue, so only the first line needs to wake it.
      wake_writer = queue_.empty();
      queued_bytes_ += line.size();
      queue_.push_back(std::move(line));
      ++enqueued_seq_;
    } else {
      ++dropped_;
      const auto now = std::chrono::steady_clock::now();
      if (dropped_reported_ == 0 || now - last_drop_warning_ >= std::chrono::seconds(1)) {
        last_drop_warning_ = now;
        dropped_reported_ = dropped_;
        warn_total = dropped_;
      }
    }
  }
  if (wake_writer) writer_wake_.notify_one();
  if (warn_total > 0) warn_dropped(warn_total);  // outside the lock: stderr may be slow
}

void JsonLinesSink::warn_dropped(uint64_t total) {
  log::warn("events", "event log " + path_ + " cannot keep up: queue full, " +
                          std::to_string(total) + " events dropped so far");
}

void JsonLinesSink::flush() {
  std::unique_lock lock(mutex_);
  const uint64_t target = enqueued_seq_;
  batch_written_.wait(lock, [&] { return written_seq_ >= target; });
  lock.unlock();
  // The writer already fflush()ed each batch into the kernel; this makes it durable. The fd
  // stays valid until the destructor, which cannot run while a caller is inside flush().
  if (::fdatasync(::fileno(file_.get())) != 0) {
    const int err = errno;
    log::warn("events", "event log " + path_ + ": sync failed: " + errno_text(err));
  }
}

uint64_t JsonLinesSink::dropped() const {
  std::lock_guard lock(mutex_);
  return dropped_;
}

void JsonLinesSink::run_writer() {
  std::vector<std::string> batch;
  for (;;) {
    uint64_t batch_end = 0;
    {
      std::unique_lock lock(mutex_);
      writer_wake_.wait(lock, [&] { return !queue_.empty() || stopping_; });
      if (queue_.empty()) return;  // stopping and drained
      batch.swap(queue_);
      queued_bytes_ = 0;
      batch_end = enqueued_seq_;
    }
    write_batch(batch);
    batch.clear();
    {
      std::lock_guard lock(mutex_);
      written_seq_ = batch_end;
    }
    batch_written_.notify_all();
  }
}

void JsonLinesSink::write_batch(const std::vector<std::string>& lines) {
  std::FILE* f = file_.get();
  // After a failed write the file may end in half a line: start on a fresh one so only that
  // line is lost, not the next one too.
  bool ok = !write_failing_ || std::fputc('\n', f) != EOF;
  for (const auto& line : lines) {
    if (!ok) break;
    ok = std::fwrite(line.data(), 1, line.size(), f) == line.size();
  }
  ok = std::fflush(f) == 0 && ok;
  if (!ok) {
    const int err = errno;
    if (!write_failing_) {  // once per failure streak, not once per batch
      log::error("events", "event log " + path_ + ": write failed, events lost: " +
                               errno_text(err));
    }
    std::clearerr(f);
  } else if (write_failing_) {
    log::info("events", "event log " + path_ + ": writing again");
  }
  write_failing_ = !ok;
}

}  // namespace hermes::events
