#pragma once
// Text a client chose (user names, passwords, TERM, env, version lines) is kept only up to a
// bound, so a hostile client cannot make Hermes hold or log megabytes per request.
#include <cstddef>
#include <cstring>
#include <string>
#include <string_view>

namespace hermes::ssh {

inline constexpr std::size_t kMaxCredentialText = 1024;    // user names, passwords, versions
inline constexpr std::size_t kMaxRequestText = 8 * 1024;   // channel request strings

inline std::string bounded_text(const char* text, std::size_t max) {
  if (text == nullptr) return {};
  return std::string(text, ::strnlen(text, max));
}

// A client's text cut for an event or a record, saying whether it was cut: events carry
// `truncated: true` and the original size then, so an analyst knows the value is partial.
struct BoundedText {
  std::string text;
  bool truncated = false;
  std::size_t original_size = 0;
};

inline BoundedText bound_text(std::string_view text, std::size_t max) {
  const bool cut = text.size() > max;
  return BoundedText{std::string(cut ? text.substr(0, max) : text), cut, text.size()};
}

}  // namespace hermes::ssh
