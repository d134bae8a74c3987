#include "ssh/bounded_text.hpp"

#include <gtest/gtest.h>

namespace hermes::ssh {
namespace {

TEST(BoundedText, KeepsShortTextAndCutsLongText) {
  EXPECT_EQ(bounded_text("root", kMaxCredentialText), "root");
  EXPECT_EQ(bounded_text(nullptr, 10), "");
  const std::string huge(100000, 'A');
  EXPECT_EQ(bounded_text(huge.c_str(), kMaxCredentialText).size(), kMaxCredentialText);
  EXPECT_EQ(bounded_text(huge.c_str(), kMaxRequestText).size(), kMaxRequestText);
}

TEST(BoundedText, NeverReadsPastTheBound) {
  // Not NUL-terminated within the bound: strnlen must stop at it.
  const char unterminated[4] = {'a', 'b', 'c', 'd'};
  EXPECT_EQ(bounded_text(unterminated, 3), "abc");
}

}  // namespace
}  // namespace hermes::ssh
