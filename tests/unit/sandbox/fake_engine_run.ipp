// Template part of fake_engine.hpp.
#include <boost/asio/co_spawn.hpp>
#include <optional>
#include <stdexcept>

namespace hermes::sandbox::testing {

template <class T>
T run(boost::asio::io_context& io, boost::asio::awaitable<T> operation, std::chrono::seconds limit) {
  std::optional<T> result;
  std::exception_ptr failure;
  boost::asio::co_spawn(io, std::move(operation), [&](std::exception_ptr e, T value) {
    failure = e;
    if (!e) result.emplace(std::move(value));
  });
  const auto deadline = std::chrono::steady_clock::now() + limit;
  io.restart();
  while (!result && !failure && std::chrono::steady_clock::now() < deadline) {
    io.run_one_for(std::chrono::milliseconds(100));
  }
  if (failure) std::rethrow_exception(failure);
  if (!result) throw std::runtime_error("operation did not finish in time");
  return std::move(*result);
}

}  // namespace hermes::sandbox::testing
