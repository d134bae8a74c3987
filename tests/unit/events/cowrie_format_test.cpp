#include "events/cowrie_format.hpp"

#include <gtest/gtest.h>

#include <regex>
#include <set>

namespace hermes::events {
namespace {

using nlohmann::json;

const CowrieIdentity kIdentity{"edge-1", "dd3b74d6-e63a-41f1-bb5b-02fc00000001"};
const std::set<std::string> kCommon{"session", "protocol", "src_ip", "src_port", "dst_ip",   "dst_port",
                                    "eventid", "sensor",   "uuid",   "timestamp", "message"};

Event hermes_event(std::string id, json fields = json::object()) {
  Event e;
  e.eventid = std::move(id);
  e.connection = {"0ace6523125d", "203.0.113.7", 41656, "192.0.2.1", 22};
  e.message = "text";
  e.fields = std::move(fields);
  e.time = std::chrono::system_clock::time_point(std::chrono::microseconds(1'795'327'661'730'873));
  return e;
}

std::set<std::string> keys_of(const nlohmann::ordered_json& j) {
  std::set<std::string> keys;
  for (const auto& [key, value] : j.items()) keys.insert(key);
  return keys;
}

// Maps `event` and checks the id and that the keys are exactly the common ones plus `own`.
nlohmann::ordered_json mapped(const Event& event, const std::string& cowrie_id, std::set<std::string> own) {
  auto j = to_cowrie_json(event, kIdentity);
  EXPECT_TRUE(j) << event.eventid;
  if (!j) return {};
  EXPECT_EQ((*j)["eventid"], cowrie_id);
  own.insert(kCommon.begin(), kCommon.end());
  EXPECT_EQ(keys_of(*j), own) << j->dump();
  return *j;
}

TEST(CowrieFormat, CommonFieldsAsCowrieWritesThem) {
  const auto j = mapped(hermes_event("hermes.session.connect"), "cowrie.session.connect", {});
  EXPECT_EQ(j["session"], "0ace6523125d");
  EXPECT_EQ(j["protocol"], "ssh");
  EXPECT_EQ(j["src_ip"], "203.0.113.7");
  EXPECT_TRUE(j["src_port"].is_number_integer());
  EXPECT_EQ(j["src_port"], 41656);
  EXPECT_EQ(j["dst_ip"], "192.0.2.1");
  EXPECT_EQ(j["dst_port"], 22);
  EXPECT_EQ(j["sensor"], "edge-1");
  EXPECT_EQ(j["uuid"], kIdentity.uuid);
  EXPECT_EQ(j["timestamp"], "2026-11-22T06:07:41.730873Z");
  EXPECT_EQ(j["message"], "text");
}

TEST(CowrieFormat, ClientAndLoginEvents) {
  auto j = mapped(hermes_event("hermes.client.version", {{"version", "SSH-2.0-OpenSSH_9.2p1"}}),
                  "cowrie.client.version", {"version"});
  EXPECT_EQ(j["version"], "SSH-2.0-OpenSSH_9.2p1");
  j = mapped(hermes_event("hermes.login.success", {{"username", "root"}, {"password", "x"}}), "cowrie.login.success",
             {"username", "password"});
  EXPECT_EQ(j["password"], "x");
  // Hermes's `reason` is not Cowrie's: left out.
  mapped(hermes_event("hermes.login.failed", {{"username", "root"}, {"password", "x"}, {"reason", "capacity"}}),
         "cowrie.login.failed", {"username", "password"});
  j = mapped(hermes_event("hermes.client.size", {{"width", 80}, {"height", 24}}), "cowrie.client.size",
             {"width", "height"});
  EXPECT_EQ(j["width"], 80);
  j = mapped(hermes_event("hermes.client.var", {{"name", "LANG"}, {"value", "C"}, {"truncated", true}, {"size", 5}}),
             "cowrie.client.var", {"name", "value"});
  EXPECT_EQ(j["value"], "C");
}

TEST(CowrieFormat, KexAndFingerprint) {
  json kex{{"hassh", "472b"}, {"hasshAlgorithms", "a;b;c;d"}, {"kexAlgs", {"curve25519-sha256"}},
           {"keyAlgs", {"ssh-ed25519"}}, {"encCS", {"aes128-ctr"}}, {"macCS", {"hmac-sha2-256"}},
           {"compCS", {"none"}}, {"langCS", {""}}};
  auto j = mapped(hermes_event("hermes.client.kex", kex), "cowrie.client.kex",
                  {"hassh", "hasshAlgorithms", "kexAlgs", "keyAlgs", "encCS", "macCS", "compCS", "langCS"});
  EXPECT_EQ(j["kexAlgs"], json::array({"curve25519-sha256"}));
  EXPECT_EQ(j["langCS"], json::array({""}));
  j = mapped(hermes_event("hermes.client.fingerprint",
                          {{"username", "root"}, {"fingerprint", "SHA256:abc"}, {"key", "ssh-ed25519 AAAA"},
                           {"type", "ssh-ed25519"}}),
             "cowrie.client.fingerprint", {"username", "fingerprint", "key", "type"});
  EXPECT_EQ(j["fingerprint"], "SHA256:abc");
}

TEST(CowrieFormat, CommandsSessionParamsAndClose) {
  auto j = mapped(hermes_event("hermes.command.input", {{"input", "uname -a"}}), "cowrie.command.input", {"input"});
  EXPECT_EQ(j["input"], "uname -a");
  j = mapped(hermes_event("hermes.container.attached", {{"container_id", "c"}, {"image", "i"}}),
             "cowrie.session.params", {"arch"});
  EXPECT_EQ(j["arch"], "linux-x64-lsb");
  j = mapped(hermes_event("hermes.log.closed",
                          {{"ttylog", "/data/r/x.cast"}, {"size", 246}, {"shasum", "4c4a"}, {"duration_ms", 18}}),
             "cowrie.log.closed", {"ttylog", "size", "shasum", "duplicate", "duration_ms"});
  EXPECT_EQ(j["duplicate"], false);
  EXPECT_EQ(j["size"], 246);
  j = mapped(hermes_event("hermes.session.closed", {{"duration_ms", 141}, {"reason", "x"}, {"exit_status", 0}}),
             "cowrie.session.closed", {"duration_ms"});
  EXPECT_EQ(j["duration_ms"], 141);
}

TEST(CowrieFormat, FileTransfers) {
  json file{{"filename", "/root/x.sh"}, {"size", 10}, {"shasum", "ab"}};
  auto j = mapped(hermes_event("hermes.session.file_upload", file), "cowrie.session.file_upload",
                  {"filename", "outfile", "shasum", "destfile", "duplicate"});
  EXPECT_EQ(j["filename"], "/root/x.sh");
  EXPECT_EQ(j["destfile"], "/root/x.sh");
  EXPECT_EQ(j["outfile"], "");
  j = mapped(hermes_event("hermes.session.file_download", file), "cowrie.session.file_download",
             {"url", "outfile", "shasum", "destfile", "duplicate"});
  EXPECT_EQ(j["url"], "/root/x.sh");
  EXPECT_EQ(j["shasum"], "ab");
}

TEST(CowrieFormat, DirectTcpipDestinationReplacesTheCommonOne) {
  auto j = mapped(hermes_event("hermes.direct-tcpip.request",
                               {{"dst_ip", "10.1.1.1"}, {"dst_port", 80}, {"orig_ip", "127.0.0.1"}, {"orig_port", 5}}),
                  "cowrie.direct-tcpip.request", {"orig_ip", "orig_port"});
  EXPECT_EQ(j["dst_ip"], "10.1.1.1");
  EXPECT_EQ(j["dst_port"], 80);
  EXPECT_EQ(j["orig_port"], 5);
  j = mapped(hermes_event("hermes.direct-tcpip.data", {{"dst_ip", "10.1.1.1"}, {"dst_port", 80}, {"data", "GET /"}}),
             "cowrie.direct-tcpip.data", {"data", "id"});
  EXPECT_EQ(j["data"], "GET /");
  EXPECT_EQ(j["id"], 0);
}

TEST(CowrieFormat, MissingOrMistypedFieldsTakeCowriesType) {
  auto j = mapped(hermes_event("hermes.client.size", {{"width", "wide"}}), "cowrie.client.size", {"width", "height"});
  EXPECT_EQ(j["width"], 0);
  EXPECT_EQ(j["height"], 0);
  j = mapped(hermes_event("hermes.client.kex", json::array({1, 2})), "cowrie.client.kex",
             {"hassh", "hasshAlgorithms", "kexAlgs", "keyAlgs", "encCS", "macCS", "compCS", "langCS"});
  EXPECT_EQ(j["hassh"], "");
  EXPECT_EQ(j["encCS"], json::array());
  // An own field can never forge a common one, except the documented direct-tcpip destination.
  j = mapped(hermes_event("hermes.client.version", {{"version", "v"}, {"session", "forged"}}), "cowrie.client.version",
             {"version"});
  EXPECT_EQ(j["session"], "0ace6523125d");
}

TEST(CowrieFormat, HermesOnlyEventsAreLeftOut) {
  for (const char* id : {"hermes.session.timeout", "hermes.container.reconciled", "hermes.honeytoken",
                         "hermes.connection.dropped", "hermes.session.disk_limit", "cowrie.session.connect", ""}) {
    EXPECT_FALSE(to_cowrie_json(hermes_event(id), kIdentity)) << id;
  }
}

TEST(CowrieFormat, InstanceUuidIsARandomVersion4Uuid) {
  const std::regex form("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  const auto a = new_instance_uuid();
  EXPECT_TRUE(std::regex_match(a, form)) << a;
  EXPECT_NE(a, new_instance_uuid());
}

}  // namespace
}  // namespace hermes::events
