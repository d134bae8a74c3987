#include "record/session_metadata.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "unit/record/test_files.hpp"

namespace hermes::record {
namespace {

using hermes::testing::read_file;
using hermes::testing::TempDir;
using nlohmann::json;
using namespace std::chrono;

SessionMetadata sample() {
  SessionMetadata m;
  m.session = "0123456789ab";
  m.src_ip = "203.0.113.7";
  m.src_port = 50022;
  m.dst_ip = "192.0.2.1";
  m.dst_port = 22;
  m.username = "root";
  m.container_id = std::string(64, 'c');
  m.container_name = "hermes-pool-3";
  m.image = "hermes/debian:12";
  m.start = system_clock::time_point(seconds(1700000000)) + microseconds(123456);
  m.end = m.start + milliseconds(61500);
  m.exit_status = 130;
  m.bytes_in = 1234;
  m.bytes_out = 5678901234ULL;
  m.recording = "/var/lib/hermes/0123456789ab.cast";
  m.client_version = "SSH-2.0-OpenSSH_9.2p1 Debian-2";
  m.truncated = true;
  m.bytes_out_unrecorded = 4000000000ULL;
  m.bytes_in_unrecorded = 17;
  return m;
}

TEST(SessionPaths, JoinDirectoryAndSession) {
  EXPECT_EQ(recording_path("/var/rec", "abc"), "/var/rec/abc.cast");
  EXPECT_EQ(metadata_path("/var/rec", "abc"), "/var/rec/abc.json");
  EXPECT_EQ(recording_path("/var/rec/", "abc"), "/var/rec/abc.cast");
  EXPECT_EQ(metadata_path("rel", "abc"), "rel/abc.json");
}

TEST(SessionMetadata, FileHasEveryFieldWithTheRightType) {
  TempDir dir;
  const std::string path = dir.file("s.json");
  ASSERT_TRUE(write_session_metadata(path, sample()));
  const json j = json::parse(read_file(path));
  for (const char* key : {"session", "src_ip", "dst_ip", "username", "container_id",
                          "container_name", "image", "start", "end", "recording",
                          "client_version"}) {
    EXPECT_TRUE(j[key].is_string()) << key;
  }
  EXPECT_EQ(j["truncated"], true);
  for (const char* key : {"src_port", "dst_port", "exit_status", "bytes_in", "bytes_out",
                          "duration_ms", "bytes_out_unrecorded", "bytes_in_unrecorded"}) {
    EXPECT_TRUE(j[key].is_number_integer()) << key;
  }
  EXPECT_EQ(j["start"], "2023-11-14T22:13:20.123456Z");
  EXPECT_EQ(j["end"], "2023-11-14T22:14:21.623456Z");
  EXPECT_EQ(j["duration_ms"], 61500);
  EXPECT_EQ(j["bytes_out"], 5678901234ULL);
  EXPECT_FALSE(std::filesystem::exists(path + ".tmp"));
}

TEST(SessionMetadata, RoundTripsThroughTheFile) {
  TempDir dir;
  const std::string path = dir.file("s.json");
  const SessionMetadata m = sample();
  ASSERT_TRUE(write_session_metadata(path, m));
  auto back = read_session_metadata(path);
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(back->session, m.session);
  EXPECT_EQ(back->src_ip, m.src_ip);
  EXPECT_EQ(back->src_port, m.src_port);
  EXPECT_EQ(back->dst_ip, m.dst_ip);
  EXPECT_EQ(back->dst_port, m.dst_port);
  EXPECT_EQ(back->username, m.username);
  EXPECT_EQ(back->container_id, m.container_id);
  EXPECT_EQ(back->container_name, m.container_name);
  EXPECT_EQ(back->image, m.image);
  EXPECT_EQ(back->start, m.start);
  EXPECT_EQ(back->end, m.end);
  EXPECT_EQ(back->exit_status, m.exit_status);
  EXPECT_EQ(back->bytes_in, m.bytes_in);
  EXPECT_EQ(back->bytes_out, m.bytes_out);
  EXPECT_EQ(back->recording, m.recording);
  EXPECT_EQ(back->client_version, m.client_version);
  EXPECT_EQ(back->truncated, m.truncated);
  EXPECT_EQ(back->bytes_out_unrecorded, m.bytes_out_unrecorded);
  EXPECT_EQ(back->bytes_in_unrecorded, m.bytes_in_unrecorded);
}

TEST(SessionMetadata, FilesWithoutTruncationFieldsReadAsComplete) {
  TempDir dir;
  const std::string path = dir.file("s.json");
  ASSERT_TRUE(write_session_metadata(path, sample()));
  json j = json::parse(read_file(path));
  j.erase("truncated");
  j.erase("bytes_out_unrecorded");
  j.erase("bytes_in_unrecorded");
  std::ofstream(path, std::ios::trunc) << j.dump();
  auto back = read_session_metadata(path);
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_FALSE(back->truncated);
  EXPECT_EQ(back->bytes_out_unrecorded, 0u);
  j["truncated"] = "yes";
  std::ofstream(path, std::ios::trunc) << j.dump();
  EXPECT_FALSE(read_session_metadata(path));
}

TEST(SessionMetadata, UnknownExitStatusIsNullAndReadsBackEmpty) {
  TempDir dir;
  const std::string path = dir.file("s.json");
  SessionMetadata m = sample();
  m.exit_status.reset();
  ASSERT_TRUE(write_session_metadata(path, m));
  EXPECT_TRUE(json::parse(read_file(path))["exit_status"].is_null());
  auto back = read_session_metadata(path);
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_FALSE(back->exit_status.has_value());
}

TEST(SessionMetadata, AttackerChosenInvalidUtf8IsReplacedNotFatal) {
  TempDir dir;
  const std::string path = dir.file("s.json");
  SessionMetadata m = sample();
  m.username = "r\xFFot";
  m.client_version = "SSH-2.0-\xC0\x80";
  ASSERT_TRUE(write_session_metadata(path, m));
  auto back = read_session_metadata(path);
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(back->username, "r\xEF\xBF\xBDot");
}

TEST(SessionMetadata, OverwritesAnOlderFileAtomically) {
  TempDir dir;
  const std::string path = dir.file("s.json");
  std::ofstream(path) << "stale";
  ASSERT_TRUE(write_session_metadata(path, sample()));
  EXPECT_TRUE(read_session_metadata(path));
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0027, 0u);  // never group-writable or world-readable
}

TEST(SessionMetadata, WriteFailureNamesThePathAndLeavesNoTmp) {
  TempDir dir;
  const std::string path = dir.file("missing/s.json");
  auto result = write_session_metadata(path, sample());
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().message.find(path + ".tmp"), std::string::npos) << result.error().message;
}

TEST(SessionMetadata, ReadRejectsMalformedFilesNamingTheProblem) {
  TempDir dir;
  const std::string path = dir.file("s.json");
  std::ofstream(path) << "{not json";
  auto r = read_session_metadata(path);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("not valid JSON"), std::string::npos);

  json j = json::parse(read_file((write_session_metadata(path, sample()), path)));
  j["src_port"] = "22";
  std::ofstream(path, std::ios::trunc) << j.dump();
  r = read_session_metadata(path);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("\"src_port\""), std::string::npos) << r.error().message;

  j = json::parse(read_file((write_session_metadata(path, sample()), path)));
  j["start"] = "yesterday";
  std::ofstream(path, std::ios::trunc) << j.dump();
  r = read_session_metadata(path);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("\"start\""), std::string::npos) << r.error().message;

  std::ofstream(path, std::ios::trunc) << "[1,2]";
  EXPECT_FALSE(read_session_metadata(path));
}

TEST(SessionMetadata, ReadRefusesHugeFiles) {
  TempDir dir;
  const std::string path = dir.file("s.json");
  std::ofstream(path) << "\"" << std::string(2 << 20, 'a') << "\"";
  auto r = read_session_metadata(path);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("1 MiB"), std::string::npos);
}

TEST(EnsureDirectory, CreatesNestedDirectoriesWithMode0750) {
  TempDir dir;
  const std::string nested = dir.file("a/b//c/");
  const mode_t old_mask = ::umask(022);
  auto result = ensure_directory(nested);
  ::umask(old_mask);
  ASSERT_TRUE(result) << result.error().message;
  for (const char* sub : {"a", "a/b", "a/b/c"}) {
    struct stat st {};
    ASSERT_EQ(::stat(dir.file(sub).c_str(), &st), 0) << sub;
    EXPECT_TRUE(S_ISDIR(st.st_mode));
    EXPECT_EQ(st.st_mode & 0777, 0750u) << sub;
  }
  EXPECT_TRUE(ensure_directory(nested));  // existing is fine
}

TEST(EnsureDirectory, FailsNamingTheDirectoryWhenAComponentIsAFile) {
  TempDir dir;
  std::ofstream(dir.file("file")) << "x";
  const std::string wanted = dir.file("file/sub");
  auto result = ensure_directory(wanted);
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().message.find(wanted), std::string::npos) << result.error().message;
  EXPECT_FALSE(ensure_directory(""));
}

TEST(EnsureDirectory, FailsWhenNotWritable) {
  if (::geteuid() == 0) GTEST_SKIP() << "root can write anywhere; permission check not observable";
  TempDir dir;
  const std::string ro = dir.file("ro");
  ASSERT_EQ(::mkdir(ro.c_str(), 0500), 0);
  auto result = ensure_directory(ro);
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().message.find("not writable"), std::string::npos);
}

}  // namespace
}  // namespace hermes::record
