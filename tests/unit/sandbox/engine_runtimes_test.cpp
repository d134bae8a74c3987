#include "sandbox/engine_runtimes.hpp"

#include <gtest/gtest.h>

namespace hermes::sandbox {
namespace {

using Names = std::vector<std::string>;

TEST(EngineRuntimes, ParsesAndSortsTheRuntimeNames) {
  const auto names = parse_runtime_names(
      R"({"ID":"x","Runtimes":{"runsc":{"path":"/usr/bin/runsc","runtimeArgs":["--network=none"]},"runc":{"path":"runc"}}})");
  ASSERT_TRUE(names) << names.error().message;
  EXPECT_EQ(*names, (Names{"runc", "runsc"}));
}

TEST(EngineRuntimes, RefusesBodiesWithoutARuntimesObject) {
  EXPECT_FALSE(parse_runtime_names("not json"));
  EXPECT_FALSE(parse_runtime_names("[]"));
  EXPECT_FALSE(parse_runtime_names(R"({"ID":"x"})"));
  EXPECT_FALSE(parse_runtime_names(R"({"Runtimes":["runc"]})"));
}

TEST(EngineRuntimes, NamesWithControlBytesAreSanitized) {
  const auto names = parse_runtime_names("{\"Runtimes\":{\"ev\\u001bil\":{}}}");
  ASSERT_TRUE(names);
  ASSERT_EQ(names->size(), 1u);
  EXPECT_EQ(names->front().find('\x1b'), std::string::npos);
}

TEST(EngineRuntimes, DefaultRuntimeNeedsNothing) {
  EXPECT_TRUE(require_runtime("", Names{}));
  EXPECT_TRUE(require_runtime("runsc", Names{"runc", "runsc"}));
}

TEST(EngineRuntimes, MissingRunscSaysHowToRegisterIt) {
  const auto missing = require_runtime("runsc", Names{"runc"});
  ASSERT_FALSE(missing);
  const std::string& message = missing.error().message;
  EXPECT_NE(message.find("container_pool.security.runtime"), std::string::npos) << message;
  EXPECT_NE(message.find("offers: runc"), std::string::npos) << message;
  EXPECT_NE(message.find("/etc/docker/daemon.json"), std::string::npos) << message;
  EXPECT_NE(message.find("--network=none"), std::string::npos) << message;
  EXPECT_NE(message.find("SIGHUP"), std::string::npos) << message;
}

TEST(EngineRuntimes, MissingOtherRuntimeIsNamed) {
  const auto missing = require_runtime("kata", Names{});
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("'kata'"), std::string::npos);
  EXPECT_NE(missing.error().message.find("offers: none"), std::string::npos);
}

}  // namespace
}  // namespace hermes::sandbox
