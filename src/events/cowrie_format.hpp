#pragma once
// Hermes events in Cowrie's vocabulary (logging.cowrie_compat), so that pipelines built for
// Cowrie's JSON log (T-Pot's Logstash, ELK dashboards, ewsposter) ingest Hermes unchanged.
// A pure function: the mapping table is in cowrie_format.cpp and docs/events.md.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "events/event.hpp"

namespace hermes::events {

struct CowrieIdentity {
  std::string sensor;  // server.sensor_name
  std::string uuid;    // this Hermes instance (Cowrie: one per honeypot process)
};

// The Cowrie line for `event`, or nullopt for events Cowrie has no id for (they stay in
// events.jsonl only). Every own field of a mapped event is always present with Cowrie's JSON
// type (a missing or mistyped Hermes value becomes "", 0, false or []); Hermes-only fields are
// left out.
std::optional<nlohmann::ordered_json> to_cowrie_json(const Event& event, const CowrieIdentity& identity);

// A random (version 4) UUID in its 8-4-4-4-12 text form, for CowrieIdentity::uuid.
std::string new_instance_uuid();

}  // namespace hermes::events
