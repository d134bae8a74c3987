#include "cli_options.hpp"

#include <charconv>
#include <set>

namespace hermes::loadgen {

CliOptions::CliOptions(int argc, char** argv, int first) {
  for (int i = first; i < argc; i += 2) {
    std::string key = argv[i];
    if (key.size() < 3 || !key.starts_with("--")) throw UsageError("expected --option, got '" + key + "'");
    if (i + 1 >= argc) throw UsageError(key + " needs a value");
    if (!values_.emplace(key.substr(2), argv[i + 1]).second) throw UsageError(key + " given twice");
  }
}

void CliOptions::allow_only(const std::vector<std::string>& known) const {
  const std::set<std::string> allowed(known.begin(), known.end());
  for (const auto& [key, value] : values_) {
    if (!allowed.contains(key)) throw UsageError("unknown option --" + key + " for this mode");
  }
}

std::string CliOptions::text(const std::string& key, const std::string& fallback) const {
  auto found = values_.find(key);
  return found == values_.end() ? fallback : found->second;
}

std::string CliOptions::required_text(const std::string& key) const {
  auto found = values_.find(key);
  if (found == values_.end()) throw UsageError("--" + key + " is required");
  return found->second;
}

int64_t CliOptions::number(const std::string& key, int64_t fallback, int64_t minimum, int64_t maximum) const {
  auto found = values_.find(key);
  if (found == values_.end()) return fallback;
  const std::string& raw = found->second;
  int64_t value = 0;
  auto [end, error] = std::from_chars(raw.data(), raw.data() + raw.size(), value);
  if (error != std::errc() || end != raw.data() + raw.size()) {
    throw UsageError("--" + key + " must be a whole number, got '" + raw + "'");
  }
  if (value < minimum || value > maximum) {
    throw UsageError("--" + key + " must be between " + std::to_string(minimum) + " and " +
                     std::to_string(maximum));
  }
  return value;
}

int64_t CliOptions::required_number(const std::string& key, int64_t minimum, int64_t maximum) const {
  required_text(key);
  return number(key, 0, minimum, maximum);
}

}  // namespace hermes::loadgen
