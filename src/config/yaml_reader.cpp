#include "config/yaml_reader.hpp"

#include <cstdio>
#include <set>

#include "config/scalar_parsing.hpp"

namespace hermes::config {
namespace {

std::string format_number(double value) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", value);
  return buf;
}

// The name a mapping key contributes to a dotted path; keys that are not text are shown by kind.
std::string key_name(const YAML::Node& key) {
  if (key.IsScalar()) return escape_for_message(key.Scalar());
  if (key.IsNull()) return "<null>";
  return key.IsSequence() ? "<list>" : "<mapping>";
}

std::string child_key(const std::string& parent, std::string_view name) {
  return parent.empty() ? std::string(name) : parent + "." + std::string(name);
}

}  // namespace

std::string describe_value(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Scalar:
      return quote_for_message(node.Scalar());
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Map:
      return "a mapping";
    case YAML::NodeType::Null:
      return "nothing (null)";
    case YAML::NodeType::Undefined:
      break;
  }
  return "nothing";
}

std::string describe_bytes(int64_t bytes) {
  static constexpr std::pair<int, std::string_view> kUnits[] = {
      {50, "PiB"}, {40, "TiB"}, {30, "GiB"}, {20, "MiB"}, {10, "KiB"}};
  for (const auto& [shift, name] : kUnits) {
    const int64_t unit = int64_t{1} << shift;
    if (bytes >= unit && bytes % unit == 0) {
      return std::to_string(bytes / unit) + " " + std::string(name);
    }
  }
  return std::to_string(bytes) + " bytes";
}

void YamlReader::expected(const YAML::Node& node, const std::string& key, std::string_view what) {
  diagnostics_.error(node.Mark(), key,
                     "expected " + std::string(what) + ", got " + describe_value(node));
}

void YamlReader::warn(const YAML::Node& node, const std::string& key, std::string_view text) {
  diagnostics_.warning(node.Mark(), key, text);
}

void YamlReader::mapping(const YAML::Node& node, const std::string& key,
                         std::initializer_list<Field> fields) {
  if (node.IsNull()) return;
  if (!node.IsMap()) {
    expected(node, key,
             key.empty() ? "a mapping of settings at the top level" : "a mapping of settings");
    return;
  }
  std::set<std::string, std::less<>> seen;
  for (auto it = node.begin(); it != node.end(); ++it) {
    // Copies: `it->first` lives in a proxy that dies at the end of the expression.
    const YAML::Node name_node = it->first;
    const YAML::Node value = it->second;
    const std::string name = key_name(name_node);
    const std::string full = child_key(key, name);
    if (!seen.insert(name).second) {
      diagnostics_.warning(name_node.Mark(), {},
                           "duplicate key " + full + " (the last value is used)");
    }
    const Field* field = nullptr;
    if (name_node.IsScalar()) {
      for (const Field& candidate : fields) {
        if (candidate.name == name_node.Scalar()) field = &candidate;
      }
    }
    if (field == nullptr) {
      diagnostics_.warning(name_node.Mark(), {}, "unknown key " + full + " (ignored)");
      continue;
    }
    field->read(value, full);
  }
}

bool YamlReader::elements(const YAML::Node& node, const std::string& key,
                          std::string_view expected_list, const ValueReader& read) {
  if (node.IsNull()) return true;
  if (!node.IsSequence()) {
    expected(node, key, expected_list);
    return false;
  }
  std::size_t index = 0;
  for (auto it = node.begin(); it != node.end(); ++it, ++index) {
    read(*it, key + "[" + std::to_string(index) + "]");
  }
  return true;
}

std::optional<long long> YamlReader::integer(const YAML::Node& node, const std::string& key,
                                             long long min, long long max) {
  std::optional<long long> value;
  if (node.IsScalar()) value = parse_decimal_integer(node.Scalar());
  if (!value || *value < min || *value > max) {
    expected(node, key, "an integer from " + std::to_string(min) + " to " + std::to_string(max));
    return std::nullopt;
  }
  return value;
}

std::optional<double> YamlReader::number(const YAML::Node& node, const std::string& key, double min,
                                         double max) {
  std::optional<double> value;
  if (node.IsScalar()) value = parse_decimal_number(node.Scalar());
  if (!value || *value < min || *value > max) {
    expected(node, key, "a number from " + format_number(min) + " to " + format_number(max));
    return std::nullopt;
  }
  return value;
}

std::optional<bool> YamlReader::boolean(const YAML::Node& node, const std::string& key) {
  std::optional<bool> value;
  if (node.IsScalar()) value = parse_boolean(node.Scalar());
  if (!value) expected(node, key, "true or false");
  return value;
}

std::optional<std::string> YamlReader::text(const YAML::Node& node, const std::string& key,
                                            const TextRule& rule) {
  if (!node.IsScalar() || (rule.accepts != nullptr && !rule.accepts(node.Scalar()))) {
    expected(node, key, rule.expected);
    return std::nullopt;
  }
  return node.Scalar();
}

std::optional<std::vector<std::string>> YamlReader::text_list(const YAML::Node& node,
                                                              const std::string& key,
                                                              const TextRule& rule) {
  std::vector<std::string> values;
  bool all_valid = true;
  const bool is_list =
      elements(node, key, "a list", [&](const YAML::Node& element, const std::string& element_key) {
        auto value = text(element, element_key, rule);
        if (value) {
          values.push_back(std::move(*value));
        } else {
          all_valid = false;
        }
      });
  if (!is_list || !all_valid) return std::nullopt;
  return values;
}

std::optional<int64_t> YamlReader::size(const YAML::Node& node, const std::string& key,
                                        int64_t min_bytes) {
  std::optional<int64_t> bytes;
  if (node.IsScalar()) bytes = parse_size_bytes(node.Scalar());
  if (!bytes || *bytes < min_bytes) {
    expected(node, key,
             "a size such as \"256m\" or \"1g\" (k, m, g, t: powers of 1024) from " +
                 describe_bytes(min_bytes) + " to " + describe_bytes(kMaxSizeBytes));
    return std::nullopt;
  }
  return bytes;
}

}  // namespace hermes::config
