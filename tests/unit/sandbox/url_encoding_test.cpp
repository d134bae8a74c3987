#include "sandbox/url_encoding.hpp"

#include <gtest/gtest.h>

namespace hermes::sandbox {
namespace {

TEST(UrlEncode, KeepsUnreservedBytes) {
  EXPECT_EQ(url_encode("AZaz09-._~"), "AZaz09-._~");
}

TEST(UrlEncode, EncodesReservedAndSpace) {
  EXPECT_EQ(url_encode("a b&c=d?e/f#g+h%"), "a%20b%26c%3Dd%3Fe%2Ff%23g%2Bh%25");
}

TEST(UrlEncode, EncodesControlAndHighBytesAsUppercaseHex) {
  EXPECT_EQ(url_encode(std::string("\r\n\0\xff", 4)), "%0D%0A%00%FF");
}

TEST(UrlEncode, EncodesJsonFilter) {
  EXPECT_EQ(url_encode(R"({"label":["hermes.test=1"]})"),
            "%7B%22label%22%3A%5B%22hermes.test%3D1%22%5D%7D");
}

TEST(EncodePathSegment, CannotWalkToAnotherRoute) {
  EXPECT_EQ(encode_path_segment("../../images/x"), "..%2F..%2Fimages%2Fx");
}

TEST(EncodeImageReference, KeepsSlashColonAndAt) {
  EXPECT_EQ(encode_image_reference("registry:5000/hermes/debian:12@sha256:ab"),
            "registry:5000/hermes/debian:12@sha256:ab");
  EXPECT_EQ(encode_image_reference("a b?c"), "a%20b%3Fc");
}

TEST(BuildQuery, EmptyWithoutParameters) { EXPECT_EQ(build_query({}), ""); }

TEST(BuildQuery, EncodesValuesAndKeepsRepeatedKeys) {
  EXPECT_EQ(build_query({{"fromSrc", "-"}, {"changes", "CMD [\"/sbin/init\"]"}, {"changes", "ENV A=b&c"}}),
            "?fromSrc=-&changes=CMD%20%5B%22%2Fsbin%2Finit%22%5D&changes=ENV%20A%3Db%26c");
}

TEST(BuildQuery, ValueCannotInjectAParameter) {
  EXPECT_EQ(build_query({{"name", "x&force=1"}}), "?name=x%26force%3D1");
}

}  // namespace
}  // namespace hermes::sandbox
