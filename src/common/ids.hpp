#pragma once
#include <string>

namespace hermes {

// A session id as Cowrie writes it: 12 lowercase hex characters from the OS's random source.
std::string new_session_id();

}  // namespace hermes
