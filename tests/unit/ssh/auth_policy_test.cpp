#include "ssh/auth_policy.hpp"

#include <gtest/gtest.h>

namespace hermes::ssh {
namespace {

std::vector<config::Credential> creds() {
  return {{"root", "toor"}, {"root", "root"}, {"admin", "admin"}};
}

TEST(CredentialTable, UserWithSeveralPasswordsKeepsAll) {
  CredentialTable table(creds());
  EXPECT_TRUE(table.matches("root", "toor"));
  EXPECT_TRUE(table.matches("root", "root"));
  EXPECT_FALSE(table.matches("root", "admin"));
  EXPECT_FALSE(table.matches("admin", "toor"));
  EXPECT_FALSE(table.matches("nobody", ""));
}

TEST(CredentialTable, ComparesWholeBytes) {
  CredentialTable table({{"root", std::string("to\0or", 5)}});
  EXPECT_TRUE(table.matches("root", std::string("to\0or", 5)));
  EXPECT_FALSE(table.matches("root", "to"));
}

TEST(AuthPolicy, AcceptsAnythingAfterNFailures) {
  CredentialTable table(creds());
  AuthPolicy policy(table, 3);
  EXPECT_FALSE(policy.check_password("root", "a"));
  EXPECT_FALSE(policy.check_password("root", "b"));
  EXPECT_FALSE(policy.check_password("x", "c"));
  EXPECT_TRUE(policy.check_password("x", "d"));
  EXPECT_EQ(policy.failures(), 3);
  EXPECT_EQ(policy.attempts(), 4);
}

TEST(AuthPolicy, ZeroDisablesAcceptAll) {
  CredentialTable table(creds());
  AuthPolicy policy(table, 0);
  for (int i = 0; i < 50; ++i) EXPECT_FALSE(policy.check_password("root", "wrong"));
  EXPECT_TRUE(policy.check_password("root", "toor"));
}

TEST(AuthPolicy, KnownCredentialWorksFirstTime) {
  CredentialTable table(creds());
  AuthPolicy policy(table, 3);
  EXPECT_TRUE(policy.check_password("admin", "admin"));
  EXPECT_EQ(policy.failures(), 0);
}

}  // namespace
}  // namespace hermes::ssh

namespace hermes::ssh {
namespace {

TEST(AuthPolicy, HoneytokenCredentialsLogIn) {
  CredentialTable table(creds());
  CredentialTable honeytokens(std::vector<config::Credential>{{"deploy", "S3cr3t-Bait!"}});
  AuthPolicy policy(table, 0, &honeytokens);
  EXPECT_TRUE(policy.is_honeytoken("deploy", "S3cr3t-Bait!"));
  EXPECT_FALSE(policy.is_honeytoken("deploy", "other"));
  EXPECT_FALSE(policy.is_honeytoken("root", "toor"));
  EXPECT_TRUE(policy.check_password("deploy", "S3cr3t-Bait!"));
  EXPECT_FALSE(policy.check_password("deploy", "other"));
  EXPECT_EQ(policy.failures(), 1);
}

TEST(AuthPolicy, NoHoneytokenTableMeansNone) {
  CredentialTable table(creds());
  AuthPolicy policy(table, 0);
  EXPECT_FALSE(policy.is_honeytoken("root", "toor"));
}

const std::string kBaitKey = "SHA256:bXlfaG9uZXl0b2tlbl9rZXlfZmluZ2VycHJpbnRfX19fX18";
const std::string kOtherKey = "SHA256:b3RoZXJfa2V5X2ZpbmdlcnByaW50X19fX19fX19fX19fX19f";

TEST(KeyPolicy, RejectRefusesAllButHoneytokens) {
  KeyPolicy policy(false, {kBaitKey});
  EXPECT_FALSE(policy.may_log_in(kOtherKey));
  EXPECT_TRUE(policy.may_log_in(kBaitKey));
  EXPECT_TRUE(policy.is_honeytoken(kBaitKey));
  EXPECT_FALSE(policy.is_honeytoken(kOtherKey));
}

TEST(KeyPolicy, AcceptLetsEveryKeyIn) {
  KeyPolicy policy(true, {});
  EXPECT_TRUE(policy.may_log_in(kOtherKey));
  EXPECT_FALSE(policy.is_honeytoken(kOtherKey));
}

}  // namespace
}  // namespace hermes::ssh
