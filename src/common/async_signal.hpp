#pragma once
// A wake-up for coroutines on one strand, used like a condition variable: a waiter checks its
// condition, and if it does not hold yet, co_awaits wait(); notify() wakes every current waiter.
// A notify with no waiter is not remembered, which is safe because all parties share a strand.
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>

namespace hermes {

class AsyncSignal {
 public:
  explicit AsyncSignal(const boost::asio::any_io_executor& executor)
      : timer_(executor, std::chrono::steady_clock::time_point::max()) {}

  void notify() { timer_.cancel(); }

  boost::asio::awaitable<void> wait() {
    boost::system::error_code ignored;  // cancellation is the wake-up
    co_await timer_.async_wait(boost::asio::redirect_error(boost::asio::use_awaitable, ignored));
  }

 private:
  boost::asio::steady_timer timer_;
};

}  // namespace hermes
