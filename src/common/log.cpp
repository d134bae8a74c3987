#include "common/log.hpp"

#include <atomic>
#include <cstdio>
#include <mutex>
#include <nlohmann/json.hpp>

#include "common/time.hpp"

namespace hermes::log {
namespace {
std::atomic<int> g_min_level{static_cast<int>(Level::info)};
std::atomic<Format> g_format{Format::text};
std::mutex g_mutex;

const char* level_name(Level level) {
  switch (level) {
    case Level::debug: return "DEBUG";
    case Level::info: return "INFO";
    case Level::warning: return "WARNING";
    case Level::error: return "ERROR";
  }
  return "INFO";
}
}  // namespace

void configure(Level min_level, Format format) {
  g_min_level = static_cast<int>(min_level);
  g_format = format;
}

bool parse_level(std::string_view text, Level& out) {
  std::string upper(text);
  for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (upper == "DEBUG") out = Level::debug;
  else if (upper == "INFO") out = Level::info;
  else if (upper == "WARNING" || upper == "WARN") out = Level::warning;
  else if (upper == "ERROR" || upper == "CRITICAL") out = Level::error;
  else return false;
  return true;
}

bool enabled(Level level) { return static_cast<int>(level) >= g_min_level.load(); }

void write(Level level, std::string_view component, std::string_view message) {
  if (!enabled(level)) return;
  std::string line;
  if (g_format.load() == Format::json) {
    nlohmann::json j{{"timestamp", iso8601_now()}, {"level", level_name(level)},
                     {"component", component}, {"message", message}};
    line = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  } else {
    line = iso8601_now() + " " + level_name(level) + " [" + std::string(component) + "] " +
           std::string(message);
  }
  line += '\n';
  std::lock_guard lock(g_mutex);
  std::fwrite(line.data(), 1, line.size(), stderr);
  std::fflush(stderr);
}

}  // namespace hermes::log
