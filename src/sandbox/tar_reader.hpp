#pragma once
// A streaming reader of the tar archives the Docker engine sends (GET /containers/{id}/archive).
// The bytes come from a container the attacker controlled: names, sizes, types and headers are
// all hostile. The reader never touches the filesystem; it only reports entries and hands over
// the content of regular files piece by piece, holding at most one header (or one bounded pax /
// GNU long-name record) in memory. Checksums are verified; malformed input is an Error.
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace hermes::sandbox {

struct TarEntry {
  std::string name;  // as the archive gives it (pax path or GNU long name win); never trusted as a path
  char type = '0';   // ustar typeflag ('\0' is normalised to '0')
  std::uint64_t size = 0;
  bool regular() const { return type == '0' || type == '7'; }
};

class TarReader {
 public:
  // Longest name accepted (Linux PATH_MAX); longer ones are an Error, not a truncation.
  static constexpr std::size_t kMaxName = 4096;
  // Largest pax extended header or GNU long-name record read into memory.
  static constexpr std::uint64_t kMaxMetadataRecord = 64 * 1024;

  struct Handler {
    // A new entry (after its pax / long-name records were applied). An Error stops the reader.
    std::function<Result<void>(const TarEntry&)> on_entry;
    // Content of the current regular file, in order; never called for other types.
    std::function<Result<void>(std::string_view)> on_data;
    // The current entry's content is complete.
    std::function<Result<void>(const TarEntry&)> on_entry_end;
  };

  explicit TarReader(Handler handler);

  // Feeds the next piece of the archive. After an Error the reader stays failed.
  Result<void> feed(std::string_view bytes);
  // True once the end-of-archive marker (a zero block) was read.
  bool finished() const { return state_ == State::done; }
  // Bytes of the current file's content still expected (0 between entries).
  std::uint64_t remaining() const { return remaining_; }

 private:
  enum class State { header, metadata, content, padding, done, failed };
  Result<void> take_header();
  Result<void> take_metadata();
  Result<void> begin_entry(TarEntry entry);
  Result<void> end_content();
  Result<void> failure(std::string message);

  Handler handler_;
  State state_ = State::header;
  std::string block_;           // partial header block, or the metadata record being read
  char metadata_type_ = 0;      // 'x' (pax) or 'L' (GNU long name) while reading one
  std::string pending_name_;    // from a pax path or GNU long name, for the next entry
  bool pending_size_set_ = false;
  std::uint64_t pending_size_ = 0;
  TarEntry current_;
  std::uint64_t remaining_ = 0;  // content (or metadata) bytes still to come
  std::uint64_t padding_ = 0;    // zero bytes up to the next 512-byte boundary
};

}  // namespace hermes::sandbox
