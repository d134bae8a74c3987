#include "config/diagnostics.hpp"

#include <yaml-cpp/mark.h>

#include <utility>

namespace hermes::config {
namespace {

void add_capped(std::vector<std::string>& list, std::size_t& count, std::string message) {
  ++count;
  if (list.size() < Diagnostics::kMaxMessagesPerKind) list.push_back(std::move(message));
}

std::vector<std::string> with_overflow_note(std::vector<std::string> list, std::size_t count,
                                            std::string_view kind) {
  if (count > list.size()) {
    list.push_back("... and " + std::to_string(count - list.size()) + " more " + std::string(kind) +
                   " not shown");
  }
  return list;
}

}  // namespace

Diagnostics::Diagnostics(std::string source_name) : source_name_(std::move(source_name)) {}

std::string Diagnostics::located(const YAML::Mark& where, std::string_view key,
                                 std::string_view text) const {
  std::string out = source_name_;
  // yaml-cpp counts from 0; editors count from 1. Nodes built without a position have null marks.
  if (!where.is_null() && where.line >= 0) {
    out += ':' + std::to_string(where.line + 1) + ':' + std::to_string(where.column + 1);
  }
  if (!out.empty()) out += ": ";
  if (!key.empty()) {
    out += key;
    out += ": ";
  }
  out += text;
  return out;
}

void Diagnostics::error(const YAML::Mark& where, std::string_view key, std::string_view text) {
  add_capped(errors_, error_count_, located(where, key, text));
}

void Diagnostics::warning(const YAML::Mark& where, std::string_view key, std::string_view text) {
  add_capped(warnings_, warning_count_, located(where, key, text));
}

void Diagnostics::error_at_source(std::string_view text) {
  add_capped(errors_, error_count_, located(YAML::Mark::null_mark(), {}, text));
}

std::vector<std::string> Diagnostics::errors() const {
  return with_overflow_note(errors_, error_count_, "errors");
}

std::vector<std::string> Diagnostics::warnings() const {
  return with_overflow_note(warnings_, warning_count_, "warnings");
}

}  // namespace hermes::config
