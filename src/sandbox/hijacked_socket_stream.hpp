#pragma once
// HijackedStream over the socket that carried a successful attach/exec upgrade.
#include <boost/asio/generic/stream_protocol.hpp>
#include <memory>
#include <string>

#include "sandbox/docker_client.hpp"

namespace hermes::sandbox {

using EngineSocket = asio::generic::stream_protocol::socket;

// `socket` must be bound to a strand: reads, writes, shutdown and close are all run on that
// strand, so a session may read on one coroutine, write on another and close from a third
// thread without racing on the socket. `early_bytes` are stream bytes that arrived together
// with the response headers; read_some returns them before reading the socket again. No
// timeout applies: a session may sit idle for as long as its own policy allows.
std::unique_ptr<HijackedStream> make_hijacked_stream(EngineSocket socket, std::string early_bytes);

// Upper bound of one read_some, whatever the caller asks for, so one call never allocates more.
inline constexpr std::size_t kMaxHijackedRead = 1024 * 1024;

}  // namespace hermes::sandbox
