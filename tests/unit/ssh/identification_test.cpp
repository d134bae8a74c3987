#include "ssh/identification.hpp"

#include <gtest/gtest.h>

#include <string>

namespace hermes::ssh {
namespace {

TEST(Identification, SshOrThePiecesOfItGoToLibssh) {
  EXPECT_EQ(judge_identification(""), Identification::ssh);
  EXPECT_EQ(judge_identification("S"), Identification::ssh);
  EXPECT_EQ(judge_identification("SSH"), Identification::ssh);
  EXPECT_EQ(judge_identification("SSH-2.0-OpenSSH_9.2p1\r\n"), Identification::ssh);
  EXPECT_EQ(judge_identification("SSH-1.99-x"), Identification::ssh);  // libssh decides about versions
}

TEST(Identification, AnotherLineIsNotSsh) {
  EXPECT_EQ(judge_identification("GET / HTTP/1.1\r\n"), Identification::not_ssh);
  EXPECT_EQ(judge_identification("\n"), Identification::not_ssh);
  EXPECT_EQ(judge_identification("SSH\n"), Identification::not_ssh);
  EXPECT_EQ(judge_identification("ssh-2.0-lowercase\r\n"), Identification::not_ssh);
  EXPECT_EQ(judge_identification(std::string("\x16\x03\x01\x02\x00\x01\n", 7)), Identification::not_ssh);
}

TEST(Identification, AnUnfinishedLineWaitsUntilItsEndOrTheLimit) {
  EXPECT_EQ(judge_identification("GET / HT"), Identification::not_ssh_yet);
  EXPECT_EQ(judge_identification("X"), Identification::not_ssh_yet);
  EXPECT_EQ(judge_identification(std::string(kMaxIdentificationLine - 1, 'A')), Identification::not_ssh_yet);
  EXPECT_EQ(judge_identification(std::string(kMaxIdentificationLine, 'A')), Identification::not_ssh);
}

TEST(Identification, ReplyIsSshdsLine) {
  EXPECT_EQ(kInvalidIdentificationReply, "Invalid SSH identification string.\r\n");
}

}  // namespace
}  // namespace hermes::ssh
