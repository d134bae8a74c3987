#include <gtest/gtest.h>

#include <regex>
#include <vector>

#include "events/event.hpp"

namespace hermes::events {
namespace {

using namespace std::chrono;

Event sample() {
  Event e;
  e.eventid = "hermes.login.failed";
  e.connection = {"0123456789ab", "203.0.113.7", 50022, "192.0.2.1", 2222};
  e.message = "login attempt [root/123456] failed";
  e.fields = {{"username", "root"}, {"password", "123456"}};
  e.time = system_clock::time_point(seconds(1700000000)) + microseconds(42);
  return e;
}

// Own fields follow in key order: Event::fields is an nlohmann::json, whose objects are sorted.
TEST(EventJson, CommonFieldsComeFirstInOrderWithTheRightTypes) {
  const auto j = to_json(sample(), "sensor-1");
  std::vector<std::string> keys;
  for (const auto& item : j.items()) keys.push_back(item.key());
  const std::vector<std::string> expected = {"timestamp", "eventid", "session", "src_ip",
                                             "src_port",  "dst_ip",  "dst_port", "sensor",
                                             "protocol",  "message", "password", "username"};
  EXPECT_EQ(keys, expected);
  EXPECT_EQ(j["timestamp"], "2023-11-14T22:13:20.000042Z");
  EXPECT_EQ(j["eventid"], "hermes.login.failed");
  EXPECT_EQ(j["session"], "0123456789ab");
  EXPECT_EQ(j["src_ip"], "203.0.113.7");
  EXPECT_TRUE(j["src_port"].is_number_integer());
  EXPECT_EQ(j["src_port"], 50022);
  EXPECT_EQ(j["dst_ip"], "192.0.2.1");
  EXPECT_TRUE(j["dst_port"].is_number_integer());
  EXPECT_EQ(j["dst_port"], 2222);
  EXPECT_EQ(j["sensor"], "sensor-1");
  EXPECT_EQ(j["protocol"], "ssh");
  EXPECT_EQ(j["message"], "login attempt [root/123456] failed");
  EXPECT_EQ(j["username"], "root");
  EXPECT_EQ(j["password"], "123456");
}

TEST(EventJson, TimestampIsIso8601UtcWithMicroseconds) {
  Event e = sample();
  e.time = system_clock::now();
  const std::regex shape(R"(^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$)");
  const auto ts = to_json(e, "s")["timestamp"].get<std::string>();
  EXPECT_TRUE(std::regex_match(ts, shape)) << ts;
}

TEST(EventJson, OwnFieldsNeverOverrideCommonOnes) {
  Event e = sample();
  e.fields = {{"session", "forged"}, {"src_port", "x"}, {"protocol", "telnet"}, {"width", 80}};
  const auto j = to_json(e, "s");
  EXPECT_EQ(j["session"], "0123456789ab");
  EXPECT_EQ(j["src_port"], 50022);
  EXPECT_EQ(j["protocol"], "ssh");
  EXPECT_EQ(j["width"], 80);
  EXPECT_EQ(j.size(), 11u);
}

TEST(EventJson, NestedAndTypedOwnFieldsAreKept) {
  Event e = sample();
  e.fields = {{"exit_status", nullptr}, {"duration_ms", 1500}, {"list", {1, 2}}};
  const auto j = to_json(e, "s");
  EXPECT_TRUE(j["exit_status"].is_null());
  EXPECT_EQ(j["duration_ms"], 1500);
  EXPECT_EQ(j["list"], nlohmann::ordered_json({1, 2}));
}

TEST(EventJson, NonObjectFieldsAreKeptUnderFieldsAndEmptyAddsNothing) {
  Event e = sample();
  e.fields = nlohmann::json::array({"a"});
  EXPECT_EQ(to_json(e, "s")["fields"], nlohmann::ordered_json::array({"a"}));
  e.fields = nlohmann::json::object();
  EXPECT_EQ(to_json(e, "s").size(), 10u);
}

}  // namespace
}  // namespace hermes::events
