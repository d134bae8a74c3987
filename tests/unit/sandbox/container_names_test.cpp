#include "sandbox/container_names.hpp"

#include <gtest/gtest.h>

#include "sandbox/image_names.hpp"

namespace hermes::sandbox {
namespace {

TEST(ContainerNames, SanitizesToDockersAlphabet) {
  EXPECT_EQ(sanitize_name_part("web-01.eu_west"), "web-01.eu_west");
  EXPECT_EQ(sanitize_name_part("my sensor/1:\xc3\xa9"), "my-sensor-1---");
  EXPECT_EQ(sanitize_name_part(""), "x");
  EXPECT_EQ(sanitize_name_part(std::string(100, 'a')).size(), 64u);
}

TEST(ContainerNames, PoolAndSessionNames) {
  EXPECT_EQ(pool_container_name("edge 1", "0a1b2c3d"), "hermes-pool-edge-1-0a1b2c3d");
  EXPECT_EQ(session_container_name("edge", "a1b2c3d4e5f6"), "hermes-edge-a1b2c3d4e5f6");
  EXPECT_EQ(session_container_name("edge", "../x"), "hermes-edge-..-x");
}

TEST(ContainerNames, RecognisesPoolAndSessionNamesAsListed) {
  EXPECT_TRUE(is_pool_container_name("edge 1", "/hermes-pool-edge-1-0a1b2c3d"));
  EXPECT_TRUE(is_pool_container_name("edge", "hermes-pool-edge-0a1b2c3d"));
  EXPECT_FALSE(is_pool_container_name("edge", "/hermes-pool-edge-"));
  EXPECT_FALSE(is_pool_container_name("edge", "/hermes-pool-edgy-0a1b2c3d"));
  EXPECT_FALSE(is_pool_container_name("edge", "/hermes-edge-a1b2c3d4e5f6"));

  EXPECT_EQ(session_of_container_name("edge", "/hermes-edge-a1b2c3d4e5f6"), "a1b2c3d4e5f6");
  EXPECT_EQ(session_of_container_name("edge", "hermes-edge-a1b2c3d4e5f6"), "a1b2c3d4e5f6");
  EXPECT_EQ(session_of_container_name("edge", "/hermes-edge-A1B2C3D4E5F6"), "");
  EXPECT_EQ(session_of_container_name("edge", "/hermes-edge-a1b2c3d4e5f"), "");
  EXPECT_EQ(session_of_container_name("edge", "/hermes-pool-edge-0a1b2c3d"), "");
  EXPECT_EQ(session_of_container_name("other", "/hermes-edge-a1b2c3d4e5f6"), "");
  EXPECT_EQ(session_of_container_name("edge", "/hermes-edge-a1b2c3d4e5f6a"), "");  // too long
  EXPECT_EQ(session_of_container_name("edge", "/my-database"), "");
  EXPECT_EQ(session_of_container_name("edge", ""), "");
  // Sensor names are sanitised as the pool names them.
  EXPECT_EQ(session_of_container_name("web 1/eu", "/hermes-web-1-eu-0123456789ab"), "0123456789ab");
}

TEST(ImageNames, ProfileRoundTrip) {
  EXPECT_EQ(image_for_profile("minimal"), "hermes-target-minimal:latest");
  EXPECT_EQ(image_for_profile("debian", "dev1"), "hermes-target-debian:dev1");
  EXPECT_EQ(image_repository_for_profile("minimal"), "hermes-target-minimal");
  EXPECT_EQ(profile_of_image("hermes-target-minimal:latest"), "minimal");
  EXPECT_EQ(profile_of_image("hermes-target-ubuntu"), "ubuntu");
  EXPECT_EQ(profile_of_image("ubuntu:22.04"), std::nullopt);
  EXPECT_EQ(profile_of_image("hermes-target-:latest"), std::nullopt);
  EXPECT_EQ(profile_of_image("registry/hermes-target-x"), std::nullopt);
}

}  // namespace
}  // namespace hermes::sandbox
