#pragma once
// Turns an exception escaping a coroutine (bad_alloc, a throwing Asio/Beast constructor) into an
// Error, so none crosses the I/O boundary into a session's coroutine.
#include <boost/asio/awaitable.hpp>
#include <exception>
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace hermes::sandbox {

template <class T>
boost::asio::awaitable<Result<T>> no_throw(boost::asio::awaitable<Result<T>> operation,
                                           std::string_view context) {
  std::string failure;
  try {
    co_return co_await std::move(operation);
  } catch (const std::exception& e) {
    failure = e.what();
  } catch (...) {
    failure = "unknown exception";
  }
  co_return fail(std::string(context) + ": " + failure);
}

}  // namespace hermes::sandbox
