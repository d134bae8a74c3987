#include "ssh/client_kexinit.hpp"

#include <gtest/gtest.h>

#include "unit/ssh/kexinit_wire.hpp"

namespace hermes::ssh {
namespace {

using testing::kexinit_payload;
using testing::openssh_like_lists;

TEST(ClientKexInit, ParsesTheTenNameLists) {
  const auto kex = parse_kexinit(kexinit_payload(openssh_like_lists()));
  ASSERT_TRUE(kex);
  EXPECT_EQ(kex->lists[ClientKexInit::kex], "curve25519-sha256,ext-info-c");
  EXPECT_EQ(kex->lists[ClientKexInit::host_key], "ssh-ed25519,rsa-sha2-512");
  EXPECT_EQ(kex->lists[ClientKexInit::comp_cs], "none,zlib@openssh.com");
  EXPECT_EQ(kex->lists[ClientKexInit::lang_sc], "");
}

TEST(ClientKexInit, HasshIsMd5OfKexEncMacComp) {
  const auto kex = parse_kexinit(kexinit_payload(openssh_like_lists()));
  ASSERT_TRUE(kex);
  EXPECT_EQ(kex->hassh_algorithms(),
            "curve25519-sha256,ext-info-c;aes128-ctr,aes256-gcm@openssh.com;hmac-sha2-256;none,zlib@openssh.com");
  // md5 of that string, computed with coreutils' md5sum.
  EXPECT_EQ(kex->hassh(), "48cededbf2ab7656df38d060cf3325e0");
}

TEST(ClientKexInit, HasshOfAnEmptyString) {
  ClientKexInit kex;
  // ";;;" hashed
  EXPECT_EQ(kex.hassh_algorithms(), ";;;");
  EXPECT_EQ(kex.hassh(), "95420f9d932ddd22833f17b96a80bedb");
}

TEST(ClientKexInit, EventFieldsUseCowriesNamesAndSplitting) {
  const auto kex = parse_kexinit(kexinit_payload(openssh_like_lists()));
  ASSERT_TRUE(kex);
  const auto fields = kex_event_fields(*kex);
  EXPECT_EQ(fields["hassh"], kex->hassh());
  EXPECT_EQ(fields["hasshAlgorithms"], kex->hassh_algorithms());
  EXPECT_EQ(fields["kexAlgs"], nlohmann::json({"curve25519-sha256", "ext-info-c"}));
  EXPECT_EQ(fields["keyAlgs"], nlohmann::json({"ssh-ed25519", "rsa-sha2-512"}));
  EXPECT_EQ(fields["encCS"], nlohmann::json({"aes128-ctr", "aes256-gcm@openssh.com"}));
  EXPECT_EQ(fields["macCS"], nlohmann::json({"hmac-sha2-256"}));
  EXPECT_EQ(fields["compCS"], nlohmann::json({"none", "zlib@openssh.com"}));
  EXPECT_EQ(fields["langCS"], nlohmann::json({""}));  // as Cowrie: "".split(",")
  EXPECT_FALSE(fields.contains("truncated"));
}

TEST(ClientKexInit, LongListsAreCutInTheEventButHashedWhole) {
  auto lists = openssh_like_lists();
  lists[0] = std::string(10000, 'a');
  const auto kex = parse_kexinit(kexinit_payload(lists));
  ASSERT_TRUE(kex);
  const auto fields = kex_event_fields(*kex);
  EXPECT_EQ(fields["truncated"], true);
  EXPECT_EQ(fields["kexAlgs"][0].get<std::string>().size(), kMaxLoggedNameList);
  EXPECT_EQ(fields["hassh"], kex->hassh());
  EXPECT_EQ(kex->hassh_algorithms().substr(0, 10001), std::string(10000, 'a') + ';');
}

// Malformed shapes: each is refused, none reads out of bounds (run under ASan too).
TEST(ClientKexInit, RefusesEmptyPayload) { EXPECT_FALSE(parse_kexinit("")); }

TEST(ClientKexInit, RefusesAnotherMessageNumber) {
  auto payload = kexinit_payload(openssh_like_lists());
  payload[0] = 21;
  EXPECT_FALSE(parse_kexinit(payload));
}

TEST(ClientKexInit, RefusesAShortCookie) { EXPECT_FALSE(parse_kexinit(std::string("\x14", 1) + "cookie")); }

TEST(ClientKexInit, RefusesAListLongerThanThePacket) {
  std::string payload(1, '\x14');
  payload += std::string(16, 'C');
  testing::put_u32(payload, 0xffffffff);
  payload += "abc";
  EXPECT_FALSE(parse_kexinit(payload));
}

TEST(ClientKexInit, RefusesMissingLists) {
  std::string payload(1, '\x14');
  payload += std::string(16, 'C');
  for (int i = 0; i < 9; ++i) testing::put_string(payload, "x");
  EXPECT_FALSE(parse_kexinit(payload));
}

TEST(ClientKexInit, RefusesMissingTrailer) {
  auto payload = kexinit_payload(openssh_like_lists());
  payload.resize(payload.size() - 3);  // reserved word cut
  EXPECT_FALSE(parse_kexinit(payload));
}

TEST(ClientKexInit, EveryTruncationIsRefused) {
  const auto payload = kexinit_payload(openssh_like_lists());
  for (std::size_t n = 0; n < payload.size(); ++n) EXPECT_FALSE(parse_kexinit(payload.substr(0, n))) << n;
}

}  // namespace
}  // namespace hermes::ssh
