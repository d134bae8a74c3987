#pragma once
// Typed reading of YAML nodes with error collection. Every reader names the full dotted key and
// says what it expected and what it got; none throws on bad input, each returns nullopt instead
// (the caller then keeps the default). yaml-cpp's own exceptions are left to the caller of the
// whole walk (config_loader.cpp), which turns any of them into one error.
#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/diagnostics.hpp"

namespace hermes::config {

// What a text value must look like: a description for messages and a predicate.
struct TextRule {
  std::string_view expected;                    // "a path without control characters"
  bool (*accepts)(std::string_view) = nullptr;  // nullptr: any scalar text
};

// "\"abc\"", "a list", "a mapping", "nothing (null)": the "got ..." part of a message.
std::string describe_value(const YAML::Node& node);

// "6 MiB", "1 PiB", "1048577 bytes".
std::string describe_bytes(int64_t bytes);

class YamlReader {
 public:
  // Reads one key's value; `key` is its full dotted name.
  using ValueReader = std::function<void(const YAML::Node& value, const std::string& key)>;
  struct Field {
    std::string_view name;
    ValueReader read;
  };

  explicit YamlReader(Diagnostics& diagnostics) : diagnostics_(diagnostics) {}

  Diagnostics& diagnostics() { return diagnostics_; }

  // Reads a mapping of settings: calls the field's reader for each known key, warns about unknown
  // keys ("unknown key server.prot (ignored)") and repeated keys (the last one wins, as in the
  // original's PyYAML). A null node (a section with every line commented out) keeps defaults.
  void mapping(const YAML::Node& node, const std::string& key, std::initializer_list<Field> fields);

  // Calls `read` for each element of a list with key "key[i]"; null is an empty list. Returns
  // false (after an error) when the node is not a list.
  bool elements(const YAML::Node& node, const std::string& key, std::string_view expected,
                const ValueReader& read);

  std::optional<long long> integer(const YAML::Node& node, const std::string& key, long long min,
                                   long long max);
  std::optional<double> number(const YAML::Node& node, const std::string& key, double min,
                               double max);
  std::optional<bool> boolean(const YAML::Node& node, const std::string& key);
  // Any scalar is text (YAML's 123456 is the text "123456"), then `rule` decides.
  std::optional<std::string> text(const YAML::Node& node, const std::string& key,
                                  const TextRule& rule);
  std::optional<std::vector<std::string>> text_list(const YAML::Node& node, const std::string& key,
                                                    const TextRule& rule);
  // A size string ("256m") in bytes, at least `min_bytes`.
  std::optional<int64_t> size(const YAML::Node& node, const std::string& key, int64_t min_bytes);

  // "key: expected <expected>, got <what node is>".
  void expected(const YAML::Node& node, const std::string& key, std::string_view what);
  void warn(const YAML::Node& node, const std::string& key, std::string_view text);

 private:
  Diagnostics& diagnostics_;
};

// Assigns a successfully read value, converting to the field's type (ranges were checked).
template <class Target, class Value>
void assign(const std::optional<Value>& value, Target& target) {
  if (value) target = static_cast<Target>(*value);
}

}  // namespace hermes::config
