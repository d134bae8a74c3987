#include "config/check_config.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "config_test_support.hpp"

namespace hermes::config {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;

// A configuration file in the test's temporary directory, removed afterwards.
class TempConfig {
 public:
  explicit TempConfig(const std::string& text)
      : path_(::testing::TempDir() + "hermes-check-config-" +
              ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".yaml") {
    std::ofstream(path_) << text;
  }
  ~TempConfig() { std::remove(path_.c_str()); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

TEST(RunCheckConfig, ValidFilePrintsSummaryAndReturnsZero) {
  std::ostringstream out, err;
  const std::string path = test_support::repository_file("config/hermes.yaml");
  EXPECT_EQ(run_check_config(path, out, err), 0);
  EXPECT_THAT(err.str(), IsEmpty());
  const std::string summary = out.str();
  EXPECT_THAT(summary, HasSubstr("configuration is valid"));
  EXPECT_THAT(summary, HasSubstr("0.0.0.0:2222"));
  EXPECT_THAT(summary, HasSubstr("hermes-target-debian:latest"));
  EXPECT_THAT(summary, HasSubstr("pool size:    3"));
  EXPECT_THAT(summary, HasSubstr("credentials:  9 static"));
  EXPECT_THAT(summary, HasSubstr("./data/recordings (here: /"));
  EXPECT_THAT(summary, HasSubstr("./data/logs (here: /"));
}

TEST(RunCheckConfig, InvalidFilePrintsEveryErrorAndWarningAndReturnsOne) {
  const TempConfig config("server:\n  port: abc\n  prot: 1\nlogging:\n  level: LOUD\n");
  std::ostringstream out, err;
  EXPECT_EQ(run_check_config(config.path(), out, err), 1);
  EXPECT_THAT(out.str(), IsEmpty());
  const std::string text = err.str();
  EXPECT_THAT(text, HasSubstr("warning: " + config.path() + ":3:3: unknown key server.prot"));
  EXPECT_THAT(text, HasSubstr("error: " + config.path() + ":2:9: server.port: expected"));
  EXPECT_THAT(text, HasSubstr("logging.level: expected"));
  EXPECT_THAT(text, HasSubstr("configuration is invalid (2 errors)"));
}

TEST(RunCheckConfig, WarningsAloneStillPass) {
  const TempConfig config("server:\n  listen: 1\n  host: '::'\n");
  std::ostringstream out, err;
  EXPECT_EQ(run_check_config(config.path(), out, err), 0);
  EXPECT_THAT(err.str(), HasSubstr("warning: "));
  EXPECT_THAT(out.str(), HasSubstr("[::]:2222"));
}

TEST(RunCheckConfig, UnreadableFileReturnsOne) {
  std::ostringstream out, err;
  EXPECT_EQ(run_check_config("/nonexistent/hermes.yaml", out, err), 1);
  EXPECT_THAT(err.str(), HasSubstr("error: cannot open /nonexistent/hermes.yaml"));
}

}  // namespace
}  // namespace hermes::config
