#pragma once
// Operator log: what Hermes itself is doing, for whoever runs it. Separate from the event
// stream (events/), which is for analysts. Thread-safe; one line per call, text or JSON.
#include <string>
#include <string_view>

namespace hermes::log {

enum class Level { debug = 0, info = 1, warning = 2, error = 3 };
enum class Format { text, json };

void configure(Level min_level, Format format);
bool parse_level(std::string_view text, Level& out);
bool enabled(Level level);
void write(Level level, std::string_view component, std::string_view message);

inline void debug(std::string_view c, std::string_view m) { if (enabled(Level::debug)) write(Level::debug, c, m); }
inline void info(std::string_view c, std::string_view m) { write(Level::info, c, m); }
inline void warn(std::string_view c, std::string_view m) { write(Level::warning, c, m); }
inline void error(std::string_view c, std::string_view m) { write(Level::error, c, m); }

}  // namespace hermes::log
