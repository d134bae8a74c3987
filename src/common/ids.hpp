#pragma once
#include <string>
#include <string_view>

namespace hermes {

// A session id as Cowrie writes it: 12 lowercase hex characters from the OS's random source.
std::string new_session_id();
// True when `text` has that shape (names of files and containers Hermes made for a session).
bool is_session_id(std::string_view text);

}  // namespace hermes
