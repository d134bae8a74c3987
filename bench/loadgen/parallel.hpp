#pragma once
// Runs `total` jobs on `concurrency` threads: each thread takes the next job index until none
// are left, so at most `concurrency` jobs are in flight and a new one starts as soon as one ends.
#include <cstddef>
#include <functional>

namespace hermes::loadgen {

void run_concurrently(std::size_t total, std::size_t concurrency, const std::function<void(std::size_t)>& job);

}  // namespace hermes::loadgen
