#pragma once
// retention.export_before_removal: a container's filesystem (GET /containers/{id}/export, a tar
// stream) saved as <export_dir>/<session>-<container id, 12>.tar.gz before retention removes the
// container. Written under a hidden temporary name and renamed only when complete and synced,
// so a file with the final name is always a whole export. The tar stream is bounded: beyond
// `max_tar_bytes` the export stops and its partial file is deleted.
#include <boost/asio/awaitable.hpp>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <string>

#include "common/result.hpp"
#include "sandbox/docker_client.hpp"

namespace hermes::app {

struct ExportedFile {
  std::string path;
  std::uint64_t size = 0;       // bytes of the .tar.gz
  std::string shasum;           // SHA-256 hex of the .tar.gz
  std::uint64_t tar_bytes = 0;  // bytes of the tar stream before compression
};

// Error::code of an export that was stopped for exceeding its cap: retrying will not help.
inline constexpr int kExportTooLarge = EFBIG;

// The cap for one container: what its writable layer may hold (disk_limit, enforced while the
// session runs) plus room for the image's own files.
std::uint64_t export_cap(std::uint64_t disk_limit_bytes);

std::string export_file_name(const std::string& session, const std::string& container_id);

boost::asio::awaitable<Result<ExportedFile>> export_container_filesystem(
    sandbox::DockerClient& docker, std::string container_id, std::string session,
    std::string export_dir, std::uint64_t max_tar_bytes);

}  // namespace hermes::app
