#pragma once
// The sidecar <session>.json written next to each <session>.cast: who connected, which
// container served them, how it ended. Written once at session end, atomically, so a reader
// (hermes sessions, an indexer) never sees half a file.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "common/result.hpp"

namespace hermes::record {

struct SessionMetadata {
  std::string session;
  std::string src_ip;
  int src_port = 0;
  std::string dst_ip;
  int dst_port = 0;
  std::string username;
  std::string container_id;
  std::string container_name;
  std::string image;
  std::chrono::system_clock::time_point start, end;
  std::optional<int> exit_status;  // null in the file when unknown
  uint64_t bytes_in = 0, bytes_out = 0;
  // recording.max_bytes: whether the recording stopped early, and the session bytes it lacks.
  bool truncated = false;
  uint64_t bytes_out_unrecorded = 0, bytes_in_unrecorded = 0;
  std::string recording;  // path of the .cast file
  std::string client_version;
};

// dir/<session>.cast and dir/<session>.json
std::string recording_path(const std::string& dir, const std::string& session);
std::string metadata_path(const std::string& dir, const std::string& session);

// mkdir -p with mode 0750 for each directory it creates; fails, naming the directory, when a
// component is not a directory or the result is not writable.
Result<void> ensure_directory(const std::string& dir);

// Writes path.tmp, fsyncs it, renames it over `path`, then fsyncs the directory.
Result<void> write_session_metadata(const std::string& path, const SessionMetadata& metadata);

// Reads a file written by write_session_metadata (at most 1 MiB); errors name the bad key.
Result<SessionMetadata> read_session_metadata(const std::string& path);

}  // namespace hermes::record
