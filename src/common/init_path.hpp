#pragma once
// Where hermes-init lives in every Hermes target image: the container's PID 1 (the image's Cmd),
// and the program Hermes execs for the account lookup and the pty launcher. One place, because
// the image builder, the pool and the session must agree on it.
namespace hermes {

inline constexpr const char* kInitPath = "/sbin/init";

}  // namespace hermes
