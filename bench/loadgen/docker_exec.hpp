#pragma once
// The direct Docker references: exec into a container through sandbox::DockerClient, the client
// Hermes itself uses, with no SSH in between.
#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "common/result.hpp"
#include "sandbox/docker_client.hpp"

namespace hermes::loadgen {

using EngineWork = std::function<boost::asio::awaitable<void>(sandbox::DockerClient&)>;

// Runs `work` on a fresh io_context with a client for `url` (unix:///path or tcp://host:port)
// once the engine answered a ping. Error when the URL is bad or no engine answers.
Result<void> run_with_docker(const std::string& url, const EngineWork& work);

// Exec spec for `/bin/sh -c command`, Tty false, stdout attached.
sandbox::Json shell_exec_spec(const std::string& command);

// Demultiplexes the stream to its end, handing each piece of stdout payload to `on_stdout`;
// returns the number of stdout payload bytes.
boost::asio::awaitable<Result<uint64_t>> read_exec_stdout(sandbox::HijackedStream& stream,
                                                          std::function<void(std::string_view)> on_stdout);

}  // namespace hermes::loadgen
