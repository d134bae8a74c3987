#include "record/asciicast_writer.hpp"
#include "record/json_string.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <system_error>

#include "common/log.hpp"

namespace hermes::record {
namespace {

std::string errno_text(int err) { return std::system_category().message(err); }

// Header strings (TERM, title) may come from the attacker: replace rather than throw.
std::string dump_json(const nlohmann::ordered_json& value) {
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string header_line(const AsciicastHeader& header) {
  using namespace std::chrono;
  nlohmann::ordered_json j;
  j["version"] = 2;
  j["width"] = header.width;
  j["height"] = header.height;
  j["timestamp"] = duration_cast<seconds>(header.timestamp.time_since_epoch()).count();
  if (!header.title.empty()) j["title"] = header.title;
  j["env"] = {{"TERM", header.term}, {"SHELL", header.shell}};
  return dump_json(j) + '\n';
}

}  // namespace

Result<std::unique_ptr<AsciicastWriter>> AsciicastWriter::open(const std::string& path,
                                                              const AsciicastHeader& header,
                                                              uint64_t max_bytes) {
  auto file = open_output_file(path, OpenMode::truncate, "recording");
  if (!file) return std::unexpected(file.error());
  std::unique_ptr<AsciicastWriter> writer(
      new AsciicastWriter(path, std::move(*file), std::chrono::steady_clock::now(), max_bytes));
  if (!writer->write_line(header_line(header))) {
    return fail("cannot write header of recording " + path);
  }
  return writer;
}

AsciicastWriter::AsciicastWriter(std::string path, FilePtr file,
                                 std::chrono::steady_clock::time_point start, uint64_t max_bytes)
    : path_(std::move(path)), file_(std::move(file)), start_(start), max_bytes_(max_bytes) {}

AsciicastWriter::~AsciicastWriter() { close(); }

void AsciicastWriter::output(std::string_view bytes) {
  write_text_event("o", bytes, pending_output_, false);
}

void AsciicastWriter::input(std::string_view bytes) {
  write_text_event("i", bytes, pending_input_, false);
}

void AsciicastWriter::resize(int width, int height) {
  write_event("r", std::to_string(width) + "x" + std::to_string(height));  // refusal: nothing to count
}

void AsciicastWriter::close() {
  if (!file_) return;
  // A character still incomplete at the end will never complete: show it as U+FFFD.
  write_text_event("o", {}, pending_output_, true);
  write_text_event("i", {}, pending_input_, true);
  sha256_ = hash_.hex_digest();
  if (file_ && std::fclose(file_.release()) != 0) {
    const int err = errno;
    log::warn("record", "closing recording " + path_ + " failed: " + errno_text(err));
  }
}

void AsciicastWriter::write_text_event(const char* code, std::string_view bytes,
                                       std::string& pending, bool final) {
  if (refuses(code)) {
    // Refused from here on whatever it is: count it without sanitising it first. Bytes held
    // back in `pending` are counted when close() flushes them (`final`).
    uint64_t& unrecorded = code[0] == 'i' ? input_unrecorded_ : output_unrecorded_;
    unrecorded += bytes.size();
    if (final) {
      unrecorded += pending.size();
      pending.clear();
    }
    return;
  }
  const std::size_t held_before = pending.size();
  std::string text;
  utf8_sanitize(bytes, text, pending, final);
  if (text.empty() || write_event(code, text)) return;
  // The raw session bytes behind the refused text: this chunk plus the tail held back before,
  // minus the tail held back now.
  const uint64_t raw = held_before + bytes.size() - pending.size();
  (code[0] == 'i' ? input_unrecorded_ : output_unrecorded_) += raw;
}

uint64_t AsciicastWriter::budget_for(const char* code) const {
  if (max_bytes_ == 0) return UINT64_MAX;
  if (code[0] == 'i') return max_bytes_;
  return max_bytes_ - max_bytes_ / kInputReserveDivisor;
}

bool AsciicastWriter::write_event(const char* code, std::string_view text) {
  if (!file_) return true;  // closed or failed: nothing is refused by the cap
  const bool is_input = code[0] == 'i';
  if (refuses(code)) return false;
  const std::string line = event_line(code, text);
  if (bytes_written_ + line.size() > budget_for(code)) {
    if (is_input) input_full_ = true;
    if (!truncated_) mark_truncated();  // the recording is incomplete from here, whichever kind
    return false;
  }
  write_line(line);
  return true;
}

void AsciicastWriter::mark_truncated() {
  truncated_ = true;
  // The marker lives in the input reserve, so it fits unless input has used that up already.
  const std::string line = event_line(
      "m", "hermes: recording limit of " + std::to_string(max_bytes_) + " bytes reached; output not recorded from here");
  if (bytes_written_ + line.size() <= max_bytes_) write_line(line);
}

std::string AsciicastWriter::event_line(const char* code, std::string_view text) const {
  char time_text[48];
  std::snprintf(time_text, sizeof time_text, "%.6f", elapsed_seconds());
  std::string line = "[";
  line += time_text;
  line += ", \"";
  line += code;  // our own one-letter codes: nothing to escape
  line += "\", ";
  append_json_string(line, text);  // text is valid UTF-8 (utf8_sanitize made it so)
  line += "]\n";
  return line;
}

bool AsciicastWriter::write_line(const std::string& line) {
  if (!file_) return false;
  // Flushing each line costs a syscall per event but means a kill -9 loses at most the line
  // being written, never the file's validity up to it.
  const std::size_t n = std::fwrite(line.data(), 1, line.size(), file_.get());
  bytes_written_ += n;
  hash_.update(std::string_view(line.data(), n));
  if (n == line.size() && std::fflush(file_.get()) == 0) return true;
  const int err = errno;
  // Stop recording rather than append further lines after a torn one (disk full, I/O error).
  log::warn("record", "recording " + path_ + " stopped after a write error: " + errno_text(err));
  file_.reset();
  return false;
}

double AsciicastWriter::elapsed_seconds() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

}  // namespace hermes::record
