#pragma once
// One typed event of the analyst stream. Every event carries the common fields of its
// connection; its own fields sit in `fields`. Sinks decide how an event is written.
#include <chrono>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

namespace hermes::events {

// Who an event is about: filled once per connection when it is accepted.
struct ConnectionInfo {
  std::string session;  // 12 hex chars
  std::string src_ip;
  uint16_t src_port = 0;
  std::string dst_ip;
  uint16_t dst_port = 0;
};

struct Event {
  std::string eventid;  // "hermes.login.failed", ...
  ConnectionInfo connection;
  std::string message;  // human text
  nlohmann::json fields = nlohmann::json::object();
  std::chrono::system_clock::time_point time = std::chrono::system_clock::now();
};

inline Event make_event(const ConnectionInfo& connection, std::string eventid, std::string message,
                        nlohmann::json fields = nlohmann::json::object()) {
  Event e;
  e.eventid = std::move(eventid);
  e.connection = connection;
  e.message = std::move(message);
  e.fields = std::move(fields);
  return e;
}

// The JSON object of an event as written to events.jsonl: common fields (timestamp, eventid,
// session, src_ip, src_port, dst_ip, dst_port, sensor, protocol, message) in that order, then
// its own fields in key order (Event::fields sorts them). An own field never overrides a
// common one. Ordered so every line reads the same way. Strings are not validated here:
// dump with nlohmann::json::error_handler_t::replace.
nlohmann::ordered_json to_json(const Event& event, const std::string& sensor);

}  // namespace hermes::events
