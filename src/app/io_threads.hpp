#pragma once
// The threads that serve connections. Thread 1 runs the main io_context (accepting, the pool,
// Docker calls, start-up and shutdown); each further thread of server.worker_threads runs an
// io_context of its own. A connection is placed on one of them for its whole life and never
// moves, so its handlers do not bounce between threads: with one shared io_context run by
// two threads, every readiness event and post woke the other thread, which cost about as
// much CPU per brute-force connection as the SSH handshake itself (docs/performance.md).
#include <cstddef>
#include <memory>
#include <thread>
#include <vector>

#include <utility>  // before asio (GCC 12)
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

namespace hermes::app {

class IoThreads {
 public:
  // `threads` counts the main one, which the caller runs itself (main.run()).
  IoThreads(boost::asio::io_context& main, int threads);
  ~IoThreads();  // stops and joins
  IoThreads(const IoThreads&) = delete;
  IoThreads& operator=(const IoThreads&) = delete;

  void start();  // starts the extra threads
  // Where the next connection lives: the contexts in turn. Called by the acceptor only.
  boost::asio::any_io_executor next_connection_executor();
  // After the main context stopped (shutdown done): the extra ones stop too, as io_.stop()
  // abandons what is left on the main one.
  void stop_and_join();

 private:
  using WorkGuard = boost::asio::executor_work_guard<boost::asio::io_context::executor_type>;
  boost::asio::io_context& main_;
  std::vector<std::unique_ptr<boost::asio::io_context>> extra_;
  std::vector<WorkGuard> guards_;  // the extra contexts run until stop_and_join, idle or not
  std::vector<std::thread> threads_;
  std::size_t turn_ = 0;
};

}  // namespace hermes::app
