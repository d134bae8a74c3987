#include "failure_tally.hpp"

#include "report.hpp"

namespace hermes::loadgen {

void FailureTally::add(const std::string& reason) {
  const std::size_t number = ++count_;
  if (number <= kPrinted) progress("failure " + std::to_string(number) + ": " + reason);
}

void FailureTally::summarise() const {
  if (count() > kPrinted) progress(std::to_string(count()) + " failures in all (first " + std::to_string(kPrinted) + " shown)");
}

}  // namespace hermes::loadgen
