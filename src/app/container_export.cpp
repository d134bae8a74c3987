#include "app/container_export.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <memory>
#include <system_error>

#include "app/gzip_file_writer.hpp"
#include "record/session_metadata.hpp"

namespace hermes::app {
namespace {

// A target image is a few hundred MB at most; its files are in every export.
constexpr std::uint64_t kImageAllowance = 2ULL * 1024 * 1024 * 1024;
// Streaming a few GB from a local engine takes minutes; this only catches a stuck transfer.
constexpr auto kExportTimeout = std::chrono::minutes(30);

std::string join(const std::string& dir, const std::string& name) {
  return !dir.empty() && dir.back() == '/' ? dir + name : dir + "/" + name;
}

}  // namespace

std::uint64_t export_cap(std::uint64_t disk_limit_bytes) { return disk_limit_bytes + kImageAllowance; }

std::string export_file_name(const std::string& session, const std::string& container_id) {
  return session + "-" + container_id.substr(0, 12) + ".tar.gz";
}

boost::asio::awaitable<Result<ExportedFile>> export_container_filesystem(
    sandbox::DockerClient& docker, std::string container_id, std::string session,
    std::string export_dir, std::uint64_t max_tar_bytes) {
  if (auto made = record::ensure_directory(export_dir); !made) co_return std::unexpected(made.error());
  const std::string final_path = join(export_dir, export_file_name(session, container_id));
  const std::string temp_path = join(export_dir, "." + export_file_name(session, container_id) + ".partial");
  auto created = GzipFileWriter::create(temp_path);
  if (!created) co_return std::unexpected(std::move(created.error()));
  std::shared_ptr<GzipFileWriter> writer = std::move(*created);

  std::uint64_t received = 0;
  sandbox::DockerClient::ExportSink sink = [writer, &received, max_tar_bytes,
                                            &container_id](std::string_view piece) -> Result<void> {
    received += piece.size();
    if (received > max_tar_bytes) {
      return fail("export of container " + container_id.substr(0, 12) + " exceeds " +
                      std::to_string(max_tar_bytes) + " bytes; stopped",
                  kExportTooLarge);
    }
    return writer->write(piece);
  };
  const auto timeout = std::chrono::duration_cast<std::chrono::milliseconds>(kExportTimeout);
  auto streamed = co_await docker.export_container(container_id, std::move(sink), timeout);
  Result<void> finished = streamed ? writer->finish() : Result<void>(std::unexpected(streamed.error()));
  if (finished && ::rename(temp_path.c_str(), final_path.c_str()) != 0) {
    const int err = errno;
    finished = fail("cannot rename export to " + final_path + ": " + std::system_category().message(err), err);
  }
  if (!finished) {
    ::unlink(temp_path.c_str());
    co_return std::unexpected(std::move(finished.error()));
  }
  co_return ExportedFile{final_path, writer->compressed_bytes(), writer->hex_digest(), *streamed};
}

}  // namespace hermes::app
