#include "events/event.hpp"

#include "common/time.hpp"

namespace hermes::events {

nlohmann::ordered_json to_json(const Event& event, const std::string& sensor) {
  nlohmann::ordered_json j;
  j["timestamp"] = iso8601(event.time);
  j["eventid"] = event.eventid;
  j["session"] = event.connection.session;
  j["src_ip"] = event.connection.src_ip;
  j["src_port"] = event.connection.src_port;
  j["dst_ip"] = event.connection.dst_ip;
  j["dst_port"] = event.connection.dst_port;
  j["sensor"] = sensor;
  j["protocol"] = "ssh";
  j["message"] = event.message;
  if (event.fields.is_object()) {
    for (const auto& [key, value] : event.fields.items()) {
      // Analysts filter on the common fields; a step must not be able to forge them.
      if (!j.contains(key)) j[key] = nlohmann::ordered_json(value);
    }
  } else if (!event.fields.is_null()) {
    // Not an object (a step's bug): keep the data rather than lose it.
    j["fields"] = nlohmann::ordered_json(event.fields);
  }
  return j;
}

}  // namespace hermes::events
