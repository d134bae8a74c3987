#include "app/privileges.hpp"

#include <gtest/gtest.h>

namespace hermes::app {
namespace {

TEST(Privileges, WarnsOnlyForRoot) {
  EXPECT_FALSE(root_warning(1000));
  const auto warning = root_warning(0);
  ASSERT_TRUE(warning);
  EXPECT_NE(warning->find("uid 0"), std::string::npos);
  EXPECT_NE(warning->find("deploy/hermes.service"), std::string::npos);
}

TEST(Privileges, PrivilegedPortHintOnlyWhenItCanBeTheReason) {
  EXPECT_NE(privileged_port_hint(22, 1000).find("CAP_NET_BIND_SERVICE"), std::string::npos);
  EXPECT_EQ(privileged_port_hint(22, 0), "");
  EXPECT_EQ(privileged_port_hint(2222, 1000), "");
  EXPECT_EQ(privileged_port_hint(0, 1000), "");
}

}  // namespace
}  // namespace hermes::app
