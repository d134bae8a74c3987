#pragma once
// asciicast v2 (https://docs.asciinema.org/manual/asciicast/v2/) writer for one session.
// A header line, then one JSON array line per event, each flushed at once so the file stays a
// valid recording if Hermes is killed mid-session. Output and input are byte streams: a UTF-8
// character split across two chunks is held back until complete, and bytes that are not valid
// UTF-8 are written as U+FFFD per invalid sequence (never dropped silently, never invalid JSON).
// Not thread-safe: a writer belongs to one session and is driven from that session's strand.
//
// Size cap (recording.max_bytes): a line that would take the file past the cap is not written,
// nor is anything after it, so the file stays valid asciicast and never exceeds the cap. Output
// stops a little earlier than input (the last kInputReserveDivisor-th of the cap is kept for
// keystrokes) so that an output flood cannot hide the commands typed after it. At the first
// refusal an "m" (marker) event says so (when it still fits); refused bytes are only counted.
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/output_file.hpp"
#include "common/result.hpp"
#include "common/sha256.hpp"
#include "record/utf8.hpp"  // utf8_sanitize, part of this header's API

namespace hermes::record {

struct AsciicastHeader {
  int width = 80;
  int height = 24;
  std::chrono::system_clock::time_point timestamp = std::chrono::system_clock::now();
  std::string term = "xterm";
  std::string shell = "/bin/sh";
  std::string title;  // optional; omitted when empty
};

class AsciicastWriter {
 public:
  // Part of the cap kept for input once output is refused: 1/16.
  static constexpr uint64_t kInputReserveDivisor = 16;

  // Creates (truncates) `path` with mode 0640 and writes the header line. max_bytes caps the
  // file's size (0: no cap); the header line is always written, the cap governs the events.
  static Result<std::unique_ptr<AsciicastWriter>> open(const std::string& path,
                                                      const AsciicastHeader& header,
                                                      uint64_t max_bytes = 0);
  ~AsciicastWriter();  // flushes any held-back partial character, closes the file

  void output(std::string_view bytes);            // "o"
  void input(std::string_view bytes);             // "i"
  void resize(int width, int height);             // "r" with "WxH"
  void close();                                   // idempotent

  const std::string& path() const { return path_; }
  uint64_t bytes_written() const { return bytes_written_; }  // file size so far
  uint64_t max_bytes() const { return max_bytes_; }
  // True once any event was refused by the cap (the recording is incomplete from there on);
  // output is never written again after it.
  bool truncated() const { return truncated_; }
  // Session bytes that reached the writer but not the file because of the cap.
  uint64_t output_bytes_unrecorded() const { return output_unrecorded_; }
  uint64_t input_bytes_unrecorded() const { return input_unrecorded_; }
  // SHA-256 of everything written, hashed as it was written (the file is never read back);
  // empty until close().
  const std::string& sha256() const { return sha256_; }

 private:

  AsciicastWriter(std::string path, FilePtr file, std::chrono::steady_clock::time_point start,
                  uint64_t max_bytes);
  // Sanitizes and writes; counts the raw bytes behind a line the cap refused.
  void write_text_event(const char* code, std::string_view bytes, std::string& pending,
                        bool final);
  bool write_event(const char* code, std::string_view text);  // false: refused by the cap
  std::string event_line(const char* code, std::string_view text) const;
  // Once a kind of event was refused, later (smaller) ones are refused too: a replay with
  // holes in it would show a terminal that never existed.
  bool refuses(const char* code) const { return code[0] == 'i' ? input_full_ : truncated_; }
  uint64_t budget_for(const char* code) const;  // the file size a line of this kind may reach
  void mark_truncated();
  bool write_line(const std::string& line);
  double elapsed_seconds() const;

  std::string path_;
  FilePtr file_;  // null once closed or after a write error
  std::chrono::steady_clock::time_point start_;
  std::string pending_output_;  // incomplete UTF-8 tail of the last output chunk
  std::string pending_input_;   // same for input
  uint64_t bytes_written_ = 0;
  uint64_t max_bytes_ = 0;  // 0: no cap
  bool truncated_ = false;
  bool input_full_ = false;  // even the input reserve is used up
  uint64_t output_unrecorded_ = 0;
  uint64_t input_unrecorded_ = 0;
  Sha256 hash_;
  std::string sha256_;
};

}  // namespace hermes::record
