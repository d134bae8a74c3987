#pragma once
// Error values for the data path: no exceptions cross an I/O boundary.
#include <expected>
#include <string>
#include <utility>

namespace hermes {

struct Error {
  std::string message;  // human text, names the operation and its subject
  int code = 0;         // optional numeric detail (HTTP status, errno, libssh code)
};

template <class T>
using Result = std::expected<T, Error>;

inline std::unexpected<Error> fail(std::string message, int code = 0) {
  return std::unexpected<Error>(Error{std::move(message), code});
}

}  // namespace hermes
