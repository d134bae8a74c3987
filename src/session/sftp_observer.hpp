#pragma once
// Follows an SFTP v3 conversation (draft-ietf-secsh-filexfer-02, what OpenSSH's sftp-server
// speaks): OPEN + HANDLE make a tracked file, WRITE requests feed an upload's digest, READ
// requests matched with their DATA replies feed a download's, CLOSE reports the file.
// Bounds: packets up to kMaxPacket (sftp-server's own limit is 256 KiB), kMaxOpenFiles tracked
// handles and kMaxPendingRequests unanswered OPEN/READ requests. A file beyond the handle table
// is counted in untracked(); a READ beyond the request table makes that download's hash unknown.
#include <cstdint>
#include <map>
#include <string>

#include "session/transfer_observer.hpp"

namespace hermes::session {

class SftpObserver : public TransferObserver {
 public:
  static constexpr std::size_t kMaxPacket = 256 * 1024 + 1024;
  static constexpr std::size_t kMaxOpenFiles = 128;
  static constexpr std::size_t kMaxPendingRequests = 1024;
  static constexpr std::size_t kMaxFilename = 4096;

  void from_client(std::string_view bytes, std::vector<FileTransfer>& done) override;
  void from_server(std::string_view bytes, std::vector<FileTransfer>& done) override;
  void finish(std::vector<FileTransfer>& done) override;
  bool broken() const override { return broken_; }
  std::size_t untracked() const { return untracked_; }
  std::size_t open_files() const { return files_.size(); }

 private:
  struct File {
    std::string filename;
    uint32_t pflags = 0;
    bool written = false, read = false;
    ContentDigest upload, download;
    bool read_lost = false;  // a READ could not be remembered: the download's hash is unknown
  };
  struct PendingRead {
    std::string handle;
    uint64_t offset = 0;
  };
  struct Framer {
    std::string buffer;
  };
  // Splits `bytes` into packets; false when a length is out of bounds.
  template <typename OnPacket>
  bool frame(Framer& framer, std::string_view bytes, OnPacket&& on_packet);
  void client_packet(std::string_view packet, std::vector<FileTransfer>& done);
  void server_packet(std::string_view packet);
  void report(File& file, const char* note, std::vector<FileTransfer>& done);

  Framer client_, server_;
  std::map<uint32_t, std::pair<std::string, uint32_t>> pending_opens_;  // id -> filename, pflags
  std::map<uint32_t, PendingRead> pending_reads_;
  std::map<std::string, File> files_;  // by handle
  std::size_t untracked_ = 0;
  bool broken_ = false;
};

}  // namespace hermes::session
