#pragma once
// What a mode prints: exactly one JSON object per line on stdout, flushed at once (the runner
// reads it while the process may still be holding connections). Progress goes to stderr.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace hermes::loadgen {

using Json = nlohmann::ordered_json;  // keys in the order the contract lists them

void print_report(const Json& object);

// Rounds to microsecond precision so the JSON stays readable (12.345 rather than 12.3449999).
double rounded_ms(double value);

// Nearest-rank percentile (p in (0, 100]) of unsorted samples; null when there are none.
Json percentile(std::vector<double> samples, double p);

// Adds "<prefix>p50_ms", "<prefix>p90_ms", ... for each of `percents`, and "<prefix>max_ms".
void add_latency_summary(Json& report, const std::vector<double>& samples_ms,
                         std::initializer_list<int> percents, std::string_view prefix = "");

// {"mode":mode,"bytes":b,"seconds":s,"mib_per_s":..} for the two throughput modes.
Json throughput_report(const std::string& mode, uint64_t bytes, double seconds);

// A line of progress on stderr, prefixed with "loadgen: ".
void progress(const std::string& line);

}  // namespace hermes::loadgen
