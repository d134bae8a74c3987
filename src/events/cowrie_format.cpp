#include "events/cowrie_format.hpp"

#include <array>
#include <string_view>
#include <vector>

#include "common/ids.hpp"
#include "common/time.hpp"

namespace hermes::events {
namespace {

using ordered_json = nlohmann::ordered_json;

enum class Kind { text, integer, boolean, list };

struct FieldRule {
  std::string_view cowrie;
  std::string_view hermes;  // the Hermes field it is taken from; empty: always the default
  Kind kind;
};

struct EventRule {
  std::string_view hermes_id;
  std::string_view cowrie_id;
  std::vector<FieldRule> fields;
};

// The mapping (docs/events.md, "Cowrie-compatible output"). Field order as Cowrie writes it.
const std::vector<EventRule>& rules() {
  static const std::vector<EventRule> table{
      {"hermes.session.connect", "cowrie.session.connect", {}},
      {"hermes.client.version", "cowrie.client.version", {{"version", "version", Kind::text}}},
      {"hermes.client.kex",
       "cowrie.client.kex",
       {{"hassh", "hassh", Kind::text},
        {"hasshAlgorithms", "hasshAlgorithms", Kind::text},
        {"kexAlgs", "kexAlgs", Kind::list},
        {"keyAlgs", "keyAlgs", Kind::list},
        {"encCS", "encCS", Kind::list},
        {"macCS", "macCS", Kind::list},
        {"compCS", "compCS", Kind::list},
        {"langCS", "langCS", Kind::list}}},
      {"hermes.client.fingerprint",
       "cowrie.client.fingerprint",
       {{"username", "username", Kind::text},
        {"fingerprint", "fingerprint", Kind::text},
        {"key", "key", Kind::text},
        {"type", "type", Kind::text}}},
      {"hermes.login.success",
       "cowrie.login.success",
       {{"username", "username", Kind::text}, {"password", "password", Kind::text}}},
      {"hermes.login.failed",
       "cowrie.login.failed",
       {{"username", "username", Kind::text}, {"password", "password", Kind::text}}},
      {"hermes.client.size", "cowrie.client.size", {{"width", "width", Kind::integer}, {"height", "height", Kind::integer}}},
      {"hermes.client.var", "cowrie.client.var", {{"name", "name", Kind::text}, {"value", "value", Kind::text}}},
      // Cowrie reports the emulated machine once a shell starts; Hermes's targets are x86-64 Linux.
      {"hermes.container.attached", "cowrie.session.params", {{"arch", "", Kind::text}}},
      {"hermes.command.input", "cowrie.command.input", {{"input", "input", Kind::text}}},
      {"hermes.session.file_upload",
       "cowrie.session.file_upload",
       {{"filename", "filename", Kind::text},
        {"outfile", "outfile", Kind::text},
        {"shasum", "shasum", Kind::text},
        {"destfile", "filename", Kind::text},
        {"duplicate", "duplicate", Kind::boolean}}},
      {"hermes.session.file_download",
       "cowrie.session.file_download",
       {{"url", "filename", Kind::text},
        {"outfile", "outfile", Kind::text},
        {"shasum", "shasum", Kind::text},
        {"destfile", "filename", Kind::text},
        {"duplicate", "duplicate", Kind::boolean}}},
      // dst_ip/dst_port are the requested destination here and replace the common ones.
      {"hermes.direct-tcpip.request",
       "cowrie.direct-tcpip.request",
       {{"dst_ip", "dst_ip", Kind::text},
        {"dst_port", "dst_port", Kind::integer},
        {"orig_ip", "orig_ip", Kind::text},
        {"orig_port", "orig_port", Kind::integer}}},
      {"hermes.direct-tcpip.data",
       "cowrie.direct-tcpip.data",
       {{"dst_ip", "dst_ip", Kind::text},
        {"dst_port", "dst_port", Kind::integer},
        {"data", "data", Kind::text},
        {"id", "id", Kind::integer}}},
      {"hermes.log.closed",
       "cowrie.log.closed",
       {{"ttylog", "ttylog", Kind::text},
        {"size", "size", Kind::integer},
        {"shasum", "shasum", Kind::text},
        {"duplicate", "duplicate", Kind::boolean},
        {"duration_ms", "duration_ms", Kind::integer}}},
      {"hermes.session.closed", "cowrie.session.closed", {{"duration_ms", "duration_ms", Kind::integer}}},
  };
  return table;
}

constexpr std::string_view kArch = "linux-x64-lsb";

bool has_kind(const nlohmann::json& value, Kind kind) {
  switch (kind) {
    case Kind::text: return value.is_string();
    case Kind::integer: return value.is_number_integer();
    case Kind::boolean: return value.is_boolean();
    case Kind::list: return value.is_array();
  }
  return false;
}

ordered_json default_of(Kind kind) {
  switch (kind) {
    case Kind::text: return "";
    case Kind::integer: return 0;
    case Kind::boolean: return false;
    case Kind::list: return ordered_json::array();
  }
  return nullptr;
}

ordered_json field_value(const Event& event, const FieldRule& rule) {
  if (rule.cowrie == "arch") return std::string(kArch);
  if (rule.hermes.empty() || !event.fields.is_object()) return default_of(rule.kind);
  const auto found = event.fields.find(std::string(rule.hermes));
  if (found == event.fields.end() || !has_kind(*found, rule.kind)) return default_of(rule.kind);
  return ordered_json(*found);
}

const EventRule* rule_for(std::string_view eventid) {
  for (const auto& rule : rules())
    if (rule.hermes_id == eventid) return &rule;
  return nullptr;
}

}  // namespace

std::optional<ordered_json> to_cowrie_json(const Event& event, const CowrieIdentity& identity) {
  const EventRule* rule = rule_for(event.eventid);
  if (!rule) return std::nullopt;
  ordered_json j;
  j["session"] = event.connection.session;
  j["protocol"] = "ssh";
  j["src_ip"] = event.connection.src_ip;
  j["src_port"] = event.connection.src_port;
  j["dst_ip"] = event.connection.dst_ip;
  j["dst_port"] = event.connection.dst_port;
  for (const auto& field : rule->fields) j[std::string(field.cowrie)] = field_value(event, field);
  j["eventid"] = rule->cowrie_id;
  j["sensor"] = identity.sensor;
  j["uuid"] = identity.uuid;
  j["timestamp"] = iso8601(event.time);
  j["message"] = event.message;
  return j;
}

std::string new_instance_uuid() {
  std::string hex = new_session_id() + new_session_id() + new_session_id();  // 36 random hex digits
  hex.resize(32);
  hex[12] = '4';                               // version 4
  hex[16] = "89ab"[(hex[16] - '0') & 3];       // RFC 4122 variant (any of 8, 9, a, b)
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" + hex.substr(16, 4) + "-" +
         hex.substr(20);
}

}  // namespace hermes::events
