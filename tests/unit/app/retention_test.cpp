#include "app/retention.hpp"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>

namespace hermes::app {
namespace {

struct RetentionNames : ::testing::Test {
  boost::asio::io_context io;
  sandbox::DockerClient docker{io.get_executor(), sandbox::DockerEndpoint{}};
  events::Bus bus;
  ActiveSessions active;

  Retention for_sensor(const std::string& sensor) {
    RetentionSettings settings;
    settings.sensor = sensor;
    settings.keep_days = 7;
    return Retention(docker, bus, settings, active);
  }
};

TEST_F(RetentionNames, RecognisesOnlyThisSensorsSessionContainers) {
  auto retention = for_sensor("web-1");
  EXPECT_EQ(retention.session_of("/hermes-web-1-0123456789ab"), "0123456789ab");
  EXPECT_EQ(retention.session_of("hermes-web-1-0123456789ab"), "0123456789ab");
  EXPECT_EQ(retention.session_of("/hermes-pool-web-1-01234567"), "");   // waiting pool container
  EXPECT_EQ(retention.session_of("/hermes-web-2-0123456789ab"), "");   // another sensor
  EXPECT_EQ(retention.session_of("/hermes-web-1-0123456789AB"), "");   // not our id alphabet
  EXPECT_EQ(retention.session_of("/hermes-web-1-0123456789abc"), "");  // too long
  EXPECT_EQ(retention.session_of("/my-database"), "");
  EXPECT_EQ(retention.session_of(""), "");
}

TEST_F(RetentionNames, SensorNamesAreSanitisedAsThePoolNamesThem) {
  auto retention = for_sensor("web 1/eu");
  EXPECT_EQ(retention.session_of("/hermes-web-1-eu-0123456789ab"), "0123456789ab");
}

}  // namespace
}  // namespace hermes::app
