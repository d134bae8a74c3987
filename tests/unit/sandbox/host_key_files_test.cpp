#include "sandbox/host_key_files.hpp"

#include <gtest/gtest.h>
#include <filesystem>
#include <fstream>

#include "unit/sandbox/scratch_files.hpp"

namespace hermes::sandbox {
namespace {

namespace fs = std::filesystem;

// A real Ed25519 public key (its private half was thrown away).
constexpr const char* kEd25519 = "AAAAC3NzaC1lZDI1NTE5AAAAIDTBVfIry8HWRDFTfm2+T/4vUcT3dwh1ialXPfu6s8Wj";
constexpr std::time_t kImageCreated = 1763834703;  // 2025-11-22 18:05:03 UTC

using testing::run_command;
using testing::TempDir;

TEST(HostKeyFiles, FileNamesFollowDebiansLayout) {
  EXPECT_EQ(host_key_pub_file_name("ssh-rsa").value(), "ssh_host_rsa_key.pub");
  EXPECT_EQ(host_key_pub_file_name("ecdsa-sha2-nistp256").value(), "ssh_host_ecdsa_key.pub");
  EXPECT_EQ(host_key_pub_file_name("ssh-ed25519").value(), "ssh_host_ed25519_key.pub");
  EXPECT_FALSE(host_key_pub_file_name("ssh-dss"));
  EXPECT_FALSE(host_key_pub_file_name("rsa-sha2-512"));  // a signature algorithm, not a key type
  EXPECT_FALSE(host_key_pub_file_name("../../etc/passwd"));
}

TEST(HostKeyFiles, LineIsWhatSshKeygenLeavesWithTheContainersHostname) {
  const auto line = host_key_pub_line({"ssh-ed25519", kEd25519}, "prod-web-01");
  ASSERT_TRUE(line) << line.error().message;
  EXPECT_EQ(*line, std::string("ssh-ed25519 ") + kEd25519 + " root@prod-web-01\n");
}

TEST(HostKeyFiles, RefusesWhatCouldBreakOutOfTheLine) {
  EXPECT_FALSE(host_key_pub_line({"ssh-ed25519", std::string(kEd25519) + "\nssh-rsa AAAA"}, "web"));
  EXPECT_FALSE(host_key_pub_line({"ssh-ed25519", "AAAA C3Nz"}, "web"));
  EXPECT_FALSE(host_key_pub_line({"ssh-ed25519", "AAA"}, "web"));       // not whole base64 quads
  EXPECT_FALSE(host_key_pub_line({"ssh-ed25519", "A=AA"}, "web"));      // padding in the middle
  EXPECT_FALSE(host_key_pub_line({"ssh-ed25519", ""}, "web"));
  EXPECT_FALSE(host_key_pub_line({"ssh-ed25519", std::string(kMaxPublicKeyBase64 + 4, 'A')}, "web"));
  EXPECT_TRUE(host_key_pub_line({"ssh-ed25519", std::string(kMaxPublicKeyBase64, 'A')}, "web"));
  EXPECT_FALSE(host_key_pub_line({"ssh-ed25519", kEd25519}, "web 01"));
  EXPECT_FALSE(host_key_pub_line({"ssh-ed25519", kEd25519}, "web\n"));
  EXPECT_FALSE(host_key_pub_line({"ssh-ed25519", kEd25519}, ""));
}

TEST(HostKeyFiles, ArchiveRefusesUnknownTypesAndTwoKeysForOneFile) {
  EXPECT_FALSE(host_key_archive({{"ssh-dss", kEd25519}}, "web", kImageCreated));
  EXPECT_FALSE(host_key_archive({{"ssh-ed25519", kEd25519}, {"ssh-ed25519", kEd25519}}, "web", kImageCreated));
  EXPECT_FALSE(host_key_archive({{"ssh-ed25519", "not base64!"}}, "web", kImageCreated));
}

// GNU tar reads the archive as Docker's unpacker would: root-owned 0644 files at the image's
// time, and ssh-keygen reads the extracted file as the key it was given.
TEST(HostKeyFiles, ArchiveUnpacksToPubFilesSshKeygenReads) {
  const std::vector<PublicHostKey> keys = {{"ssh-ed25519", kEd25519}};
  const auto archive = host_key_archive(keys, "prod-web-01", kImageCreated);
  ASSERT_TRUE(archive) << archive.error().message;
  TempDir dir("host_key_files_test");
  const fs::path tar_path = dir.path / "keys.tar";
  std::ofstream(tar_path, std::ios::binary) << *archive;

  const std::string listing = run_command("TZ=UTC tar --numeric-owner --full-time -tvf " + tar_path.string());
  EXPECT_NE(listing.find("-rw-r--r-- 0/0"), std::string::npos) << listing;
  EXPECT_NE(listing.find("2025-11-22 18:05:03 ssh_host_ed25519_key.pub"), std::string::npos) << listing;

  run_command("tar -xf " + tar_path.string() + " -C " + dir.path.string());
  const std::string fingerprint = run_command("ssh-keygen -lf " + (dir.path / "ssh_host_ed25519_key.pub").string());
  EXPECT_NE(fingerprint.find("256 SHA256:"), std::string::npos) << fingerprint;
  EXPECT_NE(fingerprint.find("root@prod-web-01 (ED25519)"), std::string::npos) << fingerprint;
}

}  // namespace
}  // namespace hermes::sandbox
