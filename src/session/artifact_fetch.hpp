#pragma once
// Copies one file out of a stopped container into the artifact store: GET .../archive?path=
// streamed through the tar reader straight into the store (never a file named after anything the
// attacker chose). Only the archive's first entry counts, and only if it is a regular file within
// the caps; the download stops as soon as the answer is known.
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <string>

#include "record/artifact_store.hpp"
#include "sandbox/docker_client.hpp"

namespace hermes::session {

struct FetchCaps {
  std::uint64_t max_file_bytes = 0;     // 0: no cap
  std::uint64_t session_bytes_left = 0;  // bytes the session may still copy
  bool session_capped = false;           // false: session_bytes_left is not a limit
};

struct FetchOutcome {
  enum class Kind { stored, directory, not_regular, too_large, session_full, failed };
  Kind kind = Kind::failed;
  std::uint64_t size = 0;         // from the archive header (known for every kind but failed)
  record::StoredArtifact stored;  // for Kind::stored
  std::string error;              // for Kind::failed (operator log only)
};

boost::asio::awaitable<FetchOutcome> fetch_artifact(sandbox::DockerClient& docker, std::string container_id,
                                                    std::string path, const record::ArtifactStore& store,
                                                    FetchCaps caps, std::chrono::milliseconds timeout);

// The `skipped` reason an event carries for an outcome that was not stored.
const char* skipped_reason(FetchOutcome::Kind kind);

}  // namespace hermes::session
