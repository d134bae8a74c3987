#pragma once
// Docker container names for the pool. Docker allows [a-zA-Z0-9][a-zA-Z0-9_.-]*; the sensor name
// and session id come from config and from our id generator, and are made to fit.
#include <string>
#include <string_view>

namespace hermes::sandbox {

// Maps every byte outside [a-zA-Z0-9_.-] to '-', caps the length at 64, "x" when empty.
std::string sanitize_name_part(std::string_view text);
// hermes-pool-<sensor>-<suffix>: a container waiting in the pool.
std::string pool_container_name(std::string_view sensor, std::string_view suffix);
// hermes-<sensor>-<session id>: the container after a session took it.
std::string session_container_name(std::string_view sensor, std::string_view session_id);

// The reverse, for names as the engine lists them (with or without the leading '/'):
// whether `name` is one of `sensor`'s pool containers, and the session id when it is one of
// its session containers (12 lowercase hex digits after the prefix; empty otherwise).
bool is_pool_container_name(std::string_view sensor, std::string_view name);
std::string session_of_container_name(std::string_view sensor, std::string_view name);

}  // namespace hermes::sandbox
