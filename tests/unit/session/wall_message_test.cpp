#include "session/wall_message.hpp"

#include <gtest/gtest.h>

namespace hermes::session {
namespace {

TEST(RebootBroadcast, LooksLikeSystemdsWallMessage) {
  // 2024-03-04 05:06:07 UTC was a Monday.
  const auto when = std::chrono::system_clock::time_point(std::chrono::seconds(1709528767));
  EXPECT_EQ(reboot_broadcast("prod-web-01", when),
            "\r\nBroadcast message from root@prod-web-01 (Mon 2024-03-04 05:06:07 UTC):\r\n\r\n"
            "The system will reboot now!\r\n");
}

}  // namespace
}  // namespace hermes::session
