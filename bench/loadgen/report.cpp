#include "report.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <mutex>

namespace hermes::loadgen {

void print_report(const Json& object) {
  std::string line = object.dump() + "\n";
  std::fwrite(line.data(), 1, line.size(), stdout);
  std::fflush(stdout);
}

double rounded_ms(double value) { return std::round(value * 1000.0) / 1000.0; }

Json percentile(std::vector<double> samples, double p) {
  if (samples.empty()) return nullptr;
  std::sort(samples.begin(), samples.end());
  // Nearest rank: the smallest sample with at least p% of the samples at or below it.
  auto rank = static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(samples.size())));
  rank = std::clamp<std::size_t>(rank, 1, samples.size());
  return rounded_ms(samples[rank - 1]);
}

void add_latency_summary(Json& report, const std::vector<double>& samples_ms,
                         std::initializer_list<int> percents, std::string_view prefix) {
  const std::string base(prefix);
  for (int p : percents) report[base + "p" + std::to_string(p) + "_ms"] = percentile(samples_ms, p);
  report[base + "max_ms"] = percentile(samples_ms, 100);
}

Json throughput_report(const std::string& mode, uint64_t bytes, double seconds) {
  constexpr double kMiB = 1024.0 * 1024.0;
  const double rate = seconds > 0 ? static_cast<double>(bytes) / kMiB / seconds : 0.0;
  return Json{{"mode", mode}, {"bytes", bytes}, {"seconds", rounded_ms(seconds)}, {"mib_per_s", rounded_ms(rate)}};
}

void progress(const std::string& line) {
  static std::mutex stderr_mutex;  // worker threads report too; keep lines whole
  std::lock_guard lock(stderr_mutex);
  std::cerr << "loadgen: " << line << std::endl;
}

}  // namespace hermes::loadgen
