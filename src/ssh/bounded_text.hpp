#pragma once
// Text a client chose (user names, passwords, TERM, env, version lines) is kept only up to a
// bound, so a hostile client cannot make Hermes hold or log megabytes per request.
#include <cstddef>
#include <cstring>
#include <string>

namespace hermes::ssh {

inline constexpr std::size_t kMaxCredentialText = 1024;    // user names, passwords, versions
inline constexpr std::size_t kMaxRequestText = 8 * 1024;   // channel request strings

inline std::string bounded_text(const char* text, std::size_t max) {
  if (text == nullptr) return {};
  return std::string(text, ::strnlen(text, max));
}

}  // namespace hermes::ssh
