#pragma once
// Docker Engine API client spoken directly over HTTP/1.1 on the engine's Unix socket (or
// tcp://host:port), asynchronous on Boost.Asio coroutines. One connection per request, plus one
// per hijacked attach/exec stream. Every call is bounded by a timeout; no call throws on the I/O
// path: failures come back as Error values carrying the HTTP status (or 0) and Docker's message.
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <ctime>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "sandbox/body_stream.hpp"

namespace hermes::sandbox {

namespace asio = boost::asio;
using Json = nlohmann::json;

struct DockerEndpoint {
  std::string unix_socket = "/var/run/docker.sock";
  std::optional<std::string> tcp_host;  // set from docker.base_url tcp://host:port
  uint16_t tcp_port = 0;

  // "tcp://h:p" or "unix:///path" or a plain socket path; Error names the bad value.
  static Result<DockerEndpoint> from_config(const std::string& socket_path,
                                            const std::optional<std::string>& base_url);
  std::string describe() const;
};

// The raw duplex byte stream left after "101 UPGRADED" on attach or exec start.
// Bytes the engine sent together with the response headers are returned first by read_some.
class HijackedStream {
 public:
  virtual ~HijackedStream() = default;
  // Reads at most max bytes; returns an empty string at end of stream.
  virtual asio::awaitable<Result<std::string>> read_some(std::size_t max) = 0;
  virtual asio::awaitable<Result<void>> write_all(std::string bytes) = 0;
  virtual void shutdown_write() = 0;  // stdin EOF (shutdown(SHUT_WR))
  virtual void close() = 0;           // cancels pending reads/writes
};

struct ExecState {
  bool running = false;
  int exit_code = -1;
};

// Connecting, sending and receiving the answer's headers (and body, for plain requests) of one
// call; a stuck engine fails the call after this. Container create+start are further bounded
// by container_pool.spawn_timeout in the pool.
inline constexpr std::chrono::milliseconds kDefaultRequestTimeout{10000};

class DockerClient {
 public:
  DockerClient(asio::any_io_executor executor, DockerEndpoint endpoint,
               std::chrono::milliseconds request_timeout = kDefaultRequestTimeout);
  ~DockerClient();

  // GET /_ping then /version; remembers the API version used in later paths (/v1.41/...).
  asio::awaitable<Result<std::string>> ping();

  // GET /info: the names of the OCI runtimes the engine offers (runc, runsc, ...).
  asio::awaitable<Result<std::vector<std::string>>> runtime_names();

  asio::awaitable<Result<bool>> image_exists(std::string image);
  // The same inspect, answering when the image was made (its "Created"); nullopt when there is
  // no such image. A Created the engine does not state readably gives the current time.
  asio::awaitable<Result<std::optional<std::time_t>>> image_created(std::string image);
  // POST /images/create?fromSrc=-&repo=&tag= with a tar body; `changes` are Dockerfile lines
  // such as "CMD [\"/sbin/init\"]".
  asio::awaitable<Result<void>> import_image(std::string tar, std::string repo, std::string tag,
                                             std::vector<std::string> changes);
  // The same, streaming the body: the byte ranges `file_ranges` ([begin, end), ascending) of the
  // file at `file_path` (a tar, without its end-of-archive marker and without the entries `tail`
  // replaces), then `tail` (more entries and the marker). Memory use stays at one read buffer
  // whatever the image's size.
  using ByteRanges = std::vector<std::pair<std::uint64_t, std::uint64_t>>;
  asio::awaitable<Result<void>> import_image_file(std::string file_path, ByteRanges file_ranges,
                                                  std::string tail, std::string repo, std::string tag,
                                                  std::vector<std::string> changes);

  // POST /containers/create?name=; returns the container id.
  asio::awaitable<Result<std::string>> create_container(Json spec, std::string name);
  asio::awaitable<Result<void>> start_container(std::string id);
  asio::awaitable<Result<void>> stop_container(std::string id, int timeout_seconds);
  asio::awaitable<Result<void>> remove_container(std::string id, bool force);
  asio::awaitable<Result<void>> rename_container(std::string id, std::string new_name);
  asio::awaitable<Result<Json>> inspect_container(std::string id);
  // GET /containers/{id}/json?size=1 -> SizeRw: bytes the container wrote to its writable
  // layer (tmpfs mounts are not part of it). The engine walks the layer to answer, so this is
  // slower than inspect_container; bounded by the request timeout all the same.
  asio::awaitable<Result<int64_t>> writable_layer_size(std::string id);
  // GET /containers/json?all=1&filters={"label":[label]}
  asio::awaitable<Result<Json>> list_containers(std::string label_filter, bool all);
  asio::awaitable<Result<int>> wait_container(std::string id);  // exit code
  asio::awaitable<Result<void>> resize_container(std::string id, int width, int height);
  // POST /containers/{id}/attach?stream=1&stdin=1&stdout=1&stderr=1 (Upgrade: tcp).
  asio::awaitable<Result<std::unique_ptr<HijackedStream>>> attach_container(std::string id);

  // Whether create_exec honours ConsoleSize at the API version in use (see ping()). Never
  // while paths are capped at kDefaultApiVersion 1.41; callers keep a fallback for that.
  bool exec_takes_console_size() const;
  asio::awaitable<Result<std::string>> create_exec(std::string container_id, Json spec);
  asio::awaitable<Result<std::unique_ptr<HijackedStream>>> start_exec(std::string exec_id,
                                                                      bool tty);
  asio::awaitable<Result<ExecState>> inspect_exec(std::string exec_id);
  asio::awaitable<Result<void>> resize_exec(std::string exec_id, int width, int height);

  // --- retention ---
  // GET /containers/{id}/export: the container's filesystem as a tar stream, handed to `sink`
  // piece by piece as it arrives (never held in memory); an Error from the sink stops it.
  // `timeout` bounds the whole transfer. Returns the number of tar bytes received.
  using ExportSink = std::function<Result<void>(std::string_view piece)>;
  asio::awaitable<Result<std::uint64_t>> export_container(std::string id, ExportSink sink,
                                                          std::chrono::milliseconds timeout);

  // --- artifacts ---
  // GET /containers/{id}/changes: the raw answer (docs: container_changes.hpp parses it). The
  // answer may be large for a container that wrote many files: up to kMaxChangesBody.
  static constexpr std::size_t kMaxChangesBody = 32 * 1024 * 1024;
  asio::awaitable<Result<std::string>> container_changes(std::string id);
  // GET /containers/{id}/archive?path=: the path as a tar stream handed to `sink` as it arrives;
  // an Error from the sink stops the download. `timeout` bounds the whole transfer.
  asio::awaitable<Result<std::uint64_t>> archive(std::string id, std::string path, ExportSink sink,
                                                 std::chrono::milliseconds timeout);

  // PUT /containers/{id}/archive?path=: unpacks `tar` into the existing directory `path` of
  // the container (created or running). Error.code 404: no such container or directory.
  asio::awaitable<Result<void>> put_archive(std::string id, std::string path, std::string tar);

  const DockerEndpoint& endpoint() const;

  // GET /events?filters={"type":["container"],"label":[label],"event":[actions]}: the engine's
  // event stream for those containers, open until the engine goes away (or close()).
  asio::awaitable<Result<std::unique_ptr<BodyStream>>> container_events(std::string label_filter,
                                                                        std::vector<std::string> actions);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace hermes::sandbox
