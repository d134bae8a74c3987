#pragma once
// Collects what is wrong (errors) or doubtful (warnings) in one configuration text, each message
// prefixed with where it was found ("hermes.yaml:12:9: server.port: ..."), so an operator can fix
// every problem in one pass instead of one per run. Hostile input cannot make the lists grow
// without bound: past a cap, further messages are only counted.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace YAML {
struct Mark;
}

namespace hermes::config {

class Diagnostics {
 public:
  static constexpr std::size_t kMaxMessagesPerKind = 100;

  explicit Diagnostics(std::string source_name);

  // `key` is the full dotted key ("server.port"); `text` says what is wrong.
  void error(const YAML::Mark& where, std::string_view key, std::string_view text);
  void warning(const YAML::Mark& where, std::string_view key, std::string_view text);
  // For problems that belong to the whole source (unreadable file, syntax error position given).
  void error_at_source(std::string_view text);

  bool has_errors() const { return error_count_ > 0; }
  // Messages in the order found; a last line tells how many were left out over the cap.
  std::vector<std::string> errors() const;
  std::vector<std::string> warnings() const;

 private:
  std::string located(const YAML::Mark& where, std::string_view key, std::string_view text) const;

  std::string source_name_;
  std::vector<std::string> errors_;
  std::vector<std::string> warnings_;
  std::size_t error_count_ = 0;
  std::size_t warning_count_ = 0;
};

}  // namespace hermes::config
