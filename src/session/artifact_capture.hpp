#pragma once
// Everything the attacker left, at session end (issue 4 item 6; docs/architecture.md,
// docs/security.md). Two steps around the container's stop:
//  1. preserve_tmpfs(): while the container still runs, exec `/proc/1/exe --preserve-tmpfs`
//     (the running hermes-init binary) so /tmp and /dev/shm land in the writable layer;
//  2. capture_artifacts(): once it stopped, read the change list and copy each added or modified
//     regular file into the content-addressed store, with one event per file up to
//     artifacts.max_files and one summary event, whatever happens.
// Both run on the session's strand, every engine call has a deadline, and the whole capture is
// bounded by the deadline it is given.
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>

#include "config/config.hpp"
#include "sandbox/docker_client.hpp"

namespace hermes::session {

using PublishFn = std::function<void(std::string eventid, std::string message, nlohmann::json fields)>;

boost::asio::awaitable<void> preserve_tmpfs(sandbox::DockerClient& docker, std::string container_id,
                                            std::chrono::milliseconds budget);

// `copy_files` false (shutdown): only the summary event, saying why nothing was copied.
boost::asio::awaitable<void> capture_artifacts(sandbox::DockerClient& docker, const config::ArtifactsConfig& config,
                                               std::string container_id, PublishFn publish,
                                               std::chrono::steady_clock::time_point deadline, bool copy_files);

}  // namespace hermes::session
