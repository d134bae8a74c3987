#include "session/scp_observer.hpp"

#include <gtest/gtest.h>

#include "common/sha256.hpp"

namespace hermes::session {
namespace {

using Direction = FileTransfer::Direction;

TEST(ScpCommand, RecognisesSinkAndSourceModes) {
  auto up = parse_scp_command("scp -t /tmp/");
  ASSERT_TRUE(up);
  EXPECT_EQ(up->direction, Direction::upload);
  EXPECT_EQ(up->target, "/tmp/");
  auto down = parse_scp_command("scp -p -f -- /etc/passwd");
  ASSERT_TRUE(down);
  EXPECT_EQ(down->direction, Direction::download);
  EXPECT_EQ(down->target, "/etc/passwd");
  auto pscp = parse_scp_command("scp -v -r -d -t  /root/dir x");  // PuTTY's form
  ASSERT_TRUE(pscp);
  EXPECT_EQ(pscp->target, "/root/dir x");
  EXPECT_FALSE(parse_scp_command("scp file host:"));
  EXPECT_FALSE(parse_scp_command("scpx -t /"));
  EXPECT_FALSE(parse_scp_command("scp -t"));
  EXPECT_FALSE(parse_scp_command("ls -t /"));
}

TEST(ScpObserver, UploadOfFilesAndDirectories) {
  ScpObserver observer(ScpCommand{Direction::upload, "/root"});
  std::vector<FileTransfer> done;
  const std::string stream = std::string("T1700000000 0 1700000000 0\n") + "D0755 0 kit\n" + "C0755 5 run.sh\n" +
                             "hello" + std::string(1, '\0') + "C0644 0 empty\n" + std::string(1, '\0') + "E\n" +
                             "C0600 3 top\n" + "abc" + std::string(1, '\0');
  for (std::size_t i = 0; i < stream.size(); i += 3) observer.from_client(stream.substr(i, 3), done);
  observer.from_server(std::string("\0\0\0\0", 4), done);  // the receiver's acknowledgements
  ASSERT_EQ(done.size(), 3u);
  EXPECT_EQ(done[0].filename, "kit/run.sh");
  EXPECT_EQ(done[0].size, 5u);
  EXPECT_EQ(done[0].shasum, sha256_hex("hello"));
  EXPECT_EQ(done[0].target, "/root");
  EXPECT_EQ(done[0].protocol, "scp");
  EXPECT_EQ(done[1].filename, "kit/empty");
  EXPECT_EQ(done[1].shasum, sha256_hex(""));
  EXPECT_EQ(done[2].filename, "top");
  EXPECT_EQ(done[2].shasum, sha256_hex("abc"));
  EXPECT_FALSE(observer.broken());
}

TEST(ScpObserver, DownloadReadsTheServerSide) {
  ScpObserver observer(ScpCommand{Direction::download, "/etc/passwd"});
  std::vector<FileTransfer> done;
  observer.from_client(std::string("\0", 1), done);
  observer.from_server("C0644 4 passwd\nroot" + std::string(1, '\0'), done);
  ASSERT_EQ(done.size(), 1u);
  EXPECT_EQ(done[0].direction, Direction::download);
  EXPECT_EQ(done[0].shasum, sha256_hex("root"));
}

TEST(ScpObserver, TruncatedTransferIsReportedIncomplete) {
  ScpObserver observer(ScpCommand{Direction::upload, "/tmp"});
  std::vector<FileTransfer> done;
  observer.from_client("C0644 10 f\n12345", done);
  observer.finish(done);
  ASSERT_EQ(done.size(), 1u);
  EXPECT_EQ(done[0].size, 5u);
  EXPECT_FALSE(done[0].shasum);
  EXPECT_EQ(done[0].note, "incomplete: channel ended during the file");
}

TEST(ScpObserver, GarbageAndOverlongRecordsStopObserving) {
  ScpObserver garbage(ScpCommand{Direction::upload, "/tmp"});
  std::vector<FileTransfer> done;
  garbage.from_client("X123\n", done);
  EXPECT_TRUE(garbage.broken());
  ScpObserver bad_size(ScpCommand{Direction::upload, "/tmp"});
  bad_size.from_client("C0644 99999999999999999999999 f\n", done);
  EXPECT_TRUE(bad_size.broken());
  ScpObserver endless(ScpCommand{Direction::upload, "/tmp"});
  endless.from_client("C0644 " + std::string(ScpObserver::kMaxRecord, '1'), done);
  EXPECT_TRUE(endless.broken());
  EXPECT_TRUE(done.empty());
}

TEST(ScpObserver, ErrorAfterDataStillReportsTheFile) {
  ScpObserver observer(ScpCommand{Direction::download, "/x"});
  std::vector<FileTransfer> done;
  observer.from_server("C0644 2 x\nab\x01read error\n", done);
  ASSERT_EQ(done.size(), 1u);
  EXPECT_EQ(done[0].note, "sender reported an error after the data");
  EXPECT_FALSE(observer.broken());
}

}  // namespace
}  // namespace hermes::session
