#pragma once
// The command line of hermes-loadgen: `hermes-loadgen MODE --key value ...`. Every option takes a
// value; a mode lists the keys it understands so a typo fails loudly instead of running a
// different benchmark than the runner asked for.
#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace hermes::loadgen {

// Bad usage: main prints it on stderr and exits non-zero (the only non-zero exit).
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class CliOptions {
 public:
  // argv[first..argc) as --key value pairs; throws UsageError on a malformed list.
  CliOptions(int argc, char** argv, int first);

  // Throws UsageError naming any given key that is not in `known`.
  void allow_only(const std::vector<std::string>& known) const;

  std::string text(const std::string& key, const std::string& fallback) const;
  std::string required_text(const std::string& key) const;
  // Whole numbers in [minimum, maximum]; throws UsageError otherwise.
  int64_t number(const std::string& key, int64_t fallback, int64_t minimum, int64_t maximum) const;
  int64_t required_number(const std::string& key, int64_t minimum, int64_t maximum) const;

 private:
  std::map<std::string, std::string> values_;
};

}  // namespace hermes::loadgen
