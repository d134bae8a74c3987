#include "docker_exec.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <exception>
#include <vector>

#include "sandbox/stream_demuxer.hpp"

namespace hermes::loadgen {

namespace asio = boost::asio;

namespace {

asio::awaitable<Result<void>> ping_then(sandbox::DockerClient& docker, const EngineWork& work) {
  auto version = co_await docker.ping();
  if (!version) co_return fail("no Docker engine answers: " + version.error().message);
  co_await work(docker);
  co_return Result<void>{};
}

}  // namespace

Result<void> run_with_docker(const std::string& url, const EngineWork& work) {
  auto endpoint = sandbox::DockerEndpoint::from_config(url, std::nullopt);
  if (!endpoint) return std::unexpected(endpoint.error());
  asio::io_context io;
  sandbox::DockerClient docker(io.get_executor(), *endpoint);
  Result<void> outcome = fail("engine work did not finish");
  asio::co_spawn(io, ping_then(docker, work), [&](std::exception_ptr error, Result<void> result) {
    outcome = error ? fail("engine work threw an exception") : std::move(result);
  });
  io.run();
  return outcome;
}

sandbox::Json shell_exec_spec(const std::string& command) {
  return sandbox::Json{{"Cmd", {"/bin/sh", "-c", command}},
                       {"Tty", false},
                       {"AttachStdin", false},
                       {"AttachStdout", true},
                       {"AttachStderr", false}};
}

asio::awaitable<Result<uint64_t>> read_exec_stdout(sandbox::HijackedStream& stream,
                                                   std::function<void(std::string_view)> on_stdout) {
  sandbox::StreamDemuxer demuxer;
  std::vector<sandbox::StreamDemuxer::Chunk> chunks;
  uint64_t total = 0;
  for (;;) {
    const std::size_t max_read = 1024 * 1024;
    auto piece = co_await stream.read_some(max_read);
    if (!piece) co_return std::unexpected(piece.error());
    if (piece->empty()) co_return total;
    chunks.clear();
    if (!demuxer.feed(*piece, chunks)) co_return fail("exec stream is not Docker's multiplexed framing");
    for (const auto& chunk : chunks) {
      if (chunk.stream != 1) continue;
      total += chunk.data.size();
      on_stdout(chunk.data);
    }
  }
}

}  // namespace hermes::loadgen
