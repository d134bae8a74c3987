#include "parallel.hpp"

#include <algorithm>
#include <atomic>
#include <thread>
#include <vector>

namespace hermes::loadgen {

void run_concurrently(std::size_t total, std::size_t concurrency, const std::function<void(std::size_t)>& job) {
  std::atomic<std::size_t> next{0};
  std::vector<std::jthread> workers;
  const std::size_t thread_count = std::clamp<std::size_t>(concurrency, 1, std::max<std::size_t>(total, 1));
  workers.reserve(thread_count);
  for (std::size_t t = 0; t < thread_count; ++t) {
    workers.emplace_back([&] {
      for (std::size_t index = next++; index < total; index = next++) job(index);
    });
  }
}  // jthreads join here

}  // namespace hermes::loadgen
