#include "app/io_threads.hpp"

#include <algorithm>

namespace hermes::app {

namespace asio = boost::asio;

IoThreads::IoThreads(asio::io_context& main, int threads) : main_(main) {
  const int extra = std::max(0, threads - 1);
  for (int i = 0; i < extra; ++i) {
    // Concurrency hint 1: each of these is only ever run by its own thread, so Asio can skip
    // the locking a shared scheduler needs.
    extra_.push_back(std::make_unique<asio::io_context>(1));
    guards_.push_back(asio::make_work_guard(*extra_.back()));
  }
}

IoThreads::~IoThreads() { stop_and_join(); }

void IoThreads::start() {
  for (auto& context : extra_) threads_.emplace_back([&context] { context->run(); });
}

asio::any_io_executor IoThreads::next_connection_executor() {
  const std::size_t turn = turn_++ % (extra_.size() + 1);
  if (turn == 0) return main_.get_executor();
  return extra_[turn - 1]->get_executor();
}

void IoThreads::stop_and_join() {
  guards_.clear();
  for (auto& context : extra_) context->stop();
  for (auto& thread : threads_) {
    if (thread.joinable()) thread.join();
  }
  threads_.clear();
}

}  // namespace hermes::app
