#pragma once
// Turns configuration text into one YAML node without letting yaml-cpp's failure modes escape:
// its exceptions become errors with line and column, and its known endless loop on some
// malformed input (yaml-cpp 0.7 LoadAll, upstream PR #1319) is detected and reported instead.
#include <yaml-cpp/yaml.h>

#include <optional>
#include <string>

#include "config/diagnostics.hpp"

namespace hermes::config {

// The single document in `text` (a null node when there is none: empty text, comments only).
// nullopt after reporting a syntax error or more than one document to `diagnostics`.
std::optional<YAML::Node> parse_single_document(const std::string& text, Diagnostics& diagnostics);

}  // namespace hermes::config
