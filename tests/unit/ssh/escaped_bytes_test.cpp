#include "ssh/escaped_bytes.hpp"

#include <gtest/gtest.h>

namespace hermes::ssh {
namespace {

TEST(EscapedBytes, PrintableAsciiStays) { EXPECT_EQ(escape_bytes("GET / HTTP/1.0"), "GET / HTTP/1.0"); }

TEST(EscapedBytes, ControlAndHighBytesAreHex) {
  EXPECT_EQ(escape_bytes(std::string("\r\n\t\\\x00\x7f\xff", 7)), "\\r\\n\\t\\\\\\x00\\x7f\\xff");
}

TEST(EscapedBytes, EscapingIsUnambiguous) {
  // A literal backslash-x in the input must not read like an escaped byte.
  EXPECT_EQ(escape_bytes("\\x41"), "\\\\x41");
  EXPECT_NE(escape_bytes("\\x41"), escape_bytes("A"));
}

}  // namespace
}  // namespace hermes::ssh
