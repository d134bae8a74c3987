#include "session/sftp_observer.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/sha256.hpp"

namespace hermes::session {
namespace {

// SFTP v3 packets as OpenSSH's sftp client and sftp-server write them.
struct Packet {
  std::string body;
  Packet& u8(uint8_t v) { body.push_back(static_cast<char>(v)); return *this; }
  Packet& u32(uint32_t v) {
    for (int shift = 24; shift >= 0; shift -= 8) body.push_back(static_cast<char>((v >> shift) & 0xff));
    return *this;
  }
  Packet& u64(uint64_t v) { return u32(static_cast<uint32_t>(v >> 32)).u32(static_cast<uint32_t>(v)); }
  Packet& str(std::string_view s) { u32(static_cast<uint32_t>(s.size())); body.append(s); return *this; }
  std::string wire() const { return Packet().u32(static_cast<uint32_t>(body.size())).body + body; }
};

std::string open(uint32_t id, std::string_view name, uint32_t pflags) {
  return Packet().u8(3).u32(id).str(name).u32(pflags).u32(0).wire();
}
std::string handle(uint32_t id, std::string_view h) { return Packet().u8(102).u32(id).str(h).wire(); }
std::string write(uint32_t id, std::string_view h, uint64_t offset, std::string_view data) {
  return Packet().u8(6).u32(id).str(h).u64(offset).str(data).wire();
}
std::string read(uint32_t id, std::string_view h, uint64_t offset, uint32_t len) {
  return Packet().u8(5).u32(id).str(h).u64(offset).u32(len).wire();
}
std::string data(uint32_t id, std::string_view d) { return Packet().u8(103).u32(id).str(d).wire(); }
std::string status(uint32_t id, uint32_t code) { return Packet().u8(101).u32(id).u32(code).str("").str("").wire(); }
std::string close(uint32_t id, std::string_view h) { return Packet().u8(4).u32(id).str(h).wire(); }

constexpr uint32_t kRead = 1, kWrite = 2, kCreat = 8, kTrunc = 0x10;

TEST(SftpObserver, UploadInPipelinedWritesSplitAcrossChunks) {
  SftpObserver observer;
  std::vector<FileTransfer> done;
  const std::string content = std::string(70000, 'x') + "tail";
  observer.from_client(Packet().u8(1).u32(3).wire(), done);  // INIT
  observer.from_client(open(1, "/tmp/payload.sh", kWrite | kCreat | kTrunc), done);
  observer.from_server(handle(1, std::string("\0\0\0\0", 4)), done);
  std::string stream = write(2, std::string("\0\0\0\0", 4), 0, content.substr(0, 32768)) +
                       write(3, std::string("\0\0\0\0", 4), 32768, content.substr(32768, 32768)) +
                       write(4, std::string("\0\0\0\0", 4), 65536, content.substr(65536)) +
                       close(5, std::string("\0\0\0\0", 4));
  // Byte by byte at first, then in odd pieces: framing must not depend on chunking.
  for (std::size_t i = 0; i < 100; ++i) observer.from_client(stream.substr(i, 1), done);
  for (std::size_t i = 100; i < stream.size(); i += 777) observer.from_client(stream.substr(i, 777), done);
  ASSERT_EQ(done.size(), 1u);
  EXPECT_EQ(done[0].direction, FileTransfer::Direction::upload);
  EXPECT_EQ(done[0].filename, "/tmp/payload.sh");
  EXPECT_EQ(done[0].size, content.size());
  EXPECT_EQ(done[0].shasum, sha256_hex(content));
  EXPECT_EQ(done[0].protocol, "sftp");
  EXPECT_EQ(observer.open_files(), 0u);
}

TEST(SftpObserver, EmptyUploadIsReported) {
  SftpObserver observer;
  std::vector<FileTransfer> done;
  observer.from_client(open(7, "empty", kWrite | kCreat | kTrunc), done);
  observer.from_server(handle(7, "h1"), done);
  observer.from_client(close(8, "h1"), done);
  ASSERT_EQ(done.size(), 1u);
  EXPECT_EQ(done[0].size, 0u);
  EXPECT_EQ(done[0].shasum, sha256_hex(""));
}

TEST(SftpObserver, DownloadFromReadRepliesUntilEof) {
  SftpObserver observer;
  std::vector<FileTransfer> done;
  observer.from_client(open(1, "/etc/shadow", kRead), done);
  observer.from_server(handle(1, "h"), done);
  observer.from_client(read(2, "h", 0, 4) + read(3, "h", 4, 4) + read(4, "h", 8, 4), done);
  observer.from_server(data(2, "abcd") + data(3, "ef") + status(4, 1), done);
  // A short read: the client asks again for the rest.
  observer.from_client(read(5, "h", 6, 4), done);
  observer.from_server(status(5, 1), done);
  observer.from_client(close(6, "h"), done);
  ASSERT_EQ(done.size(), 1u);
  EXPECT_EQ(done[0].direction, FileTransfer::Direction::download);
  EXPECT_EQ(done[0].filename, "/etc/shadow");
  EXPECT_EQ(done[0].size, 6u);
  EXPECT_EQ(done[0].shasum, sha256_hex("abcdef"));
}

TEST(SftpObserver, OutOfOrderWritesAreReassembled) {
  SftpObserver observer;
  std::vector<FileTransfer> done;
  observer.from_client(open(1, "f", kWrite | kCreat), done);
  observer.from_server(handle(1, "h"), done);
  observer.from_client(write(2, "h", 4, "5678") + write(3, "h", 8, "9") + write(4, "h", 0, "1234") + close(5, "h"), done);
  ASSERT_EQ(done.size(), 1u);
  EXPECT_EQ(done[0].shasum, sha256_hex("123456789"));
  EXPECT_EQ(done[0].size, 9u);
}

TEST(SftpObserver, GapsAndRewritesMakeTheHashUnknown) {
  SftpObserver observer;
  std::vector<FileTransfer> done;
  observer.from_client(open(1, "gap", kWrite), done);
  observer.from_server(handle(1, "a"), done);
  observer.from_client(open(2, "rewrite", kWrite), done);
  observer.from_server(handle(2, "b"), done);
  observer.from_client(write(3, "a", 10, "xyz") + close(4, "a"), done);
  observer.from_client(write(5, "b", 0, "abc") + write(6, "b", 1, "Z") + close(7, "b"), done);
  ASSERT_EQ(done.size(), 2u);
  EXPECT_FALSE(done[0].shasum);
  EXPECT_EQ(done[0].size, 13u);
  EXPECT_EQ(done[0].note, "gaps in the content");
  EXPECT_FALSE(done[1].shasum);
  EXPECT_EQ(done[1].note, "content rewritten");
}

TEST(SftpObserver, FailedOpenAndDirectoriesTrackNothing) {
  SftpObserver observer;
  std::vector<FileTransfer> done;
  observer.from_client(open(1, "/root/nope", kRead), done);
  observer.from_server(status(1, 2), done);
  observer.from_server(handle(9, "dir"), done);  // an OPENDIR's handle
  observer.from_client(close(10, "dir"), done);
  EXPECT_TRUE(done.empty());
  EXPECT_EQ(observer.open_files(), 0u);
}

TEST(SftpObserver, FilesOpenAtTheEndAreReportedIncomplete) {
  SftpObserver observer;
  std::vector<FileTransfer> done;
  observer.from_client(open(1, "big", kWrite), done);
  observer.from_server(handle(1, "h"), done);
  observer.from_client(write(2, "h", 0, "part"), done);
  observer.finish(done);
  ASSERT_EQ(done.size(), 1u);
  EXPECT_EQ(done[0].size, 4u);
  EXPECT_EQ(done[0].note, "incomplete: channel ended before CLOSE");
}

TEST(SftpObserver, OversizedPacketStopsObserving) {
  SftpObserver observer;
  std::vector<FileTransfer> done;
  observer.from_client(Packet().u32(SftpObserver::kMaxPacket + 1).body, done);
  EXPECT_TRUE(observer.broken());
  observer.from_client(open(1, "x", kWrite), done);
  EXPECT_TRUE(done.empty());
}

TEST(SftpObserver, HandleTableIsBounded) {
  SftpObserver observer;
  std::vector<FileTransfer> done;
  for (uint32_t i = 0; i < SftpObserver::kMaxOpenFiles + 5; ++i) {
    observer.from_client(open(i, "f" + std::to_string(i), kWrite), done);
    observer.from_server(handle(i, "h" + std::to_string(i)), done);
  }
  EXPECT_EQ(observer.open_files(), SftpObserver::kMaxOpenFiles);
  EXPECT_EQ(observer.untracked(), 5u);
}

TEST(SftpObserver, TruncatedFieldsAreIgnored) {
  SftpObserver observer;
  std::vector<FileTransfer> done;
  observer.from_client(Packet().u8(6).u32(1).u32(1000).wire(), done);  // WRITE with a short handle
  observer.from_client(Packet().u8(3).wire(), done);                   // OPEN without an id
  observer.from_server(Packet().u8(102).u32(1).wire(), done);
  EXPECT_FALSE(observer.broken());
  EXPECT_TRUE(done.empty());
}

}  // namespace
}  // namespace hermes::session
