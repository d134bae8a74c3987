#include "session/artifact_fetch.hpp"

#include <memory>
#include <optional>

#include "sandbox/tar_reader.hpp"

namespace hermes::session {
namespace {

using Kind = FetchOutcome::Kind;

// Returned by the tar handler to stop the download once the outcome is decided.
Result<void> decided() { return fail("artifact decided"); }

// Receives the archive's first entry: decides, and streams a regular file into the store.
struct FirstEntry {
  const record::ArtifactStore& store;
  FetchCaps caps;
  FetchOutcome outcome;
  std::optional<Kind> decision;
  std::unique_ptr<record::ArtifactWriter> writer;

  Result<void> on_entry(const sandbox::TarEntry& entry) {
    outcome.size = entry.size;
    if (entry.type == '5') return decide(Kind::directory);
    if (!entry.regular()) return decide(Kind::not_regular);
    if (caps.max_file_bytes > 0 && entry.size > caps.max_file_bytes) return decide(Kind::too_large);
    if (caps.session_capped && entry.size > caps.session_bytes_left) return decide(Kind::session_full);
    auto opened = store.begin();
    if (!opened) return failed(opened.error().message);
    writer = std::move(*opened);
    return {};
  }

  Result<void> on_data(std::string_view bytes) {
    if (!writer) return failed("file content without a file");
    if (auto written = writer->write(bytes); !written) return failed(written.error().message);
    return {};
  }

  Result<void> on_end() {
    if (!writer) return decided();
    auto committed = writer->commit();
    writer.reset();
    if (!committed) return failed(committed.error().message);
    outcome.stored = *committed;
    return decide(Kind::stored);
  }

  Result<void> decide(Kind kind) {
    decision = kind;
    outcome.kind = kind;
    return decided();
  }

  Result<void> failed(std::string message) {
    outcome.error = std::move(message);
    return decide(Kind::failed);
  }
};

}  // namespace

const char* skipped_reason(Kind kind) {
  switch (kind) {
    case Kind::not_regular:
      return "not a regular file";
    case Kind::too_large:
      return "max_file_size";
    case Kind::session_full:
      return "max_session_size";
    case Kind::failed:
      return "error";
    case Kind::stored:
    case Kind::directory:
      break;
  }
  return "";
}

boost::asio::awaitable<FetchOutcome> fetch_artifact(sandbox::DockerClient& docker, std::string container_id,
                                                    std::string path, const record::ArtifactStore& store,
                                                    FetchCaps caps, std::chrono::milliseconds timeout) {
  FirstEntry first{store, caps, FetchOutcome{}, std::nullopt, nullptr};
  sandbox::TarReader::Handler handler;
  handler.on_entry = [&first](const sandbox::TarEntry& entry) { return first.on_entry(entry); };
  handler.on_data = [&first](std::string_view bytes) { return first.on_data(bytes); };
  handler.on_entry_end = [&first](const sandbox::TarEntry&) { return first.on_end(); };
  sandbox::TarReader reader(std::move(handler));
  sandbox::DockerClient::ExportSink sink = [&reader](std::string_view piece) { return reader.feed(piece); };
  auto downloaded = co_await docker.archive(container_id, path, std::move(sink), timeout);
  if (first.decision) co_return std::move(first.outcome);
  first.outcome.kind = Kind::failed;
  first.outcome.error = downloaded ? "archive of " + path + " held no file" : downloaded.error().message;
  co_return std::move(first.outcome);
}

}  // namespace hermes::session
