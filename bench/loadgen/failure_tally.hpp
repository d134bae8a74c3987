#pragma once
// Counts failed connections/sessions from many threads. The first few reasons are printed on
// stderr so a broken setup is visible at once, without flooding it when thousands fail alike.
#include <atomic>
#include <cstddef>
#include <string>

namespace hermes::loadgen {

class FailureTally {
 public:
  void add(const std::string& reason);
  std::size_t count() const { return count_.load(); }
  // "N failed" on stderr when more failed than were printed.
  void summarise() const;

 private:
  static constexpr std::size_t kPrinted = 5;
  std::atomic<std::size_t> count_{0};
};

}  // namespace hermes::loadgen
