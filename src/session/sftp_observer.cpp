#include "session/sftp_observer.hpp"

#include <optional>

namespace hermes::session {

namespace {
// Packet types and open flags of SFTP v3.
constexpr uint8_t kOpen = 3, kClose = 4, kRead = 5, kWrite = 6;
constexpr uint8_t kStatus = 101, kHandle = 102, kData = 103;
constexpr uint32_t kFlagWrite = 0x02;
constexpr std::size_t kMaxHandle = 256;  // sftp-server's handles are a few bytes

// Reads big-endian fields from one packet; every read is checked against the packet's end.
class Reader {
 public:
  explicit Reader(std::string_view data) : data_(data) {}
  std::optional<uint8_t> u8() {
    if (data_.size() < 1) return std::nullopt;
    const auto v = static_cast<uint8_t>(data_[0]);
    data_.remove_prefix(1);
    return v;
  }
  std::optional<uint32_t> u32() {
    if (data_.size() < 4) return std::nullopt;
    uint32_t v = 0;
    for (int i = 0; i < 4; ++i) v = (v << 8) | static_cast<uint8_t>(data_[i]);
    data_.remove_prefix(4);
    return v;
  }
  std::optional<uint64_t> u64() {
    auto high = u32();
    auto low = high ? u32() : std::nullopt;
    if (!low) return std::nullopt;
    return (uint64_t{*high} << 32) | *low;
  }
  std::optional<std::string_view> string() {
    auto length = u32();
    if (!length || data_.size() < *length) return std::nullopt;
    auto v = data_.substr(0, *length);
    data_.remove_prefix(*length);
    return v;
  }

 private:
  std::string_view data_;
};
}  // namespace

template <typename OnPacket>
bool SftpObserver::frame(Framer& framer, std::string_view bytes, OnPacket&& on_packet) {
  framer.buffer.append(bytes);
  std::size_t used = 0;
  while (framer.buffer.size() - used >= 4) {
    Reader header(std::string_view(framer.buffer).substr(used, 4));
    const uint32_t length = *header.u32();
    if (length == 0 || length > kMaxPacket) return false;
    if (framer.buffer.size() - used - 4 < length) break;
    on_packet(std::string_view(framer.buffer).substr(used + 4, length));
    used += 4 + length;
  }
  framer.buffer.erase(0, used);
  return true;
}

void SftpObserver::from_client(std::string_view bytes, std::vector<FileTransfer>& done) {
  if (broken_) return;
  if (!frame(client_, bytes, [&](std::string_view packet) { client_packet(packet, done); })) broken_ = true;
}

void SftpObserver::from_server(std::string_view bytes, std::vector<FileTransfer>&) {
  if (broken_) return;
  if (!frame(server_, bytes, [&](std::string_view packet) { server_packet(packet); })) broken_ = true;
}

void SftpObserver::client_packet(std::string_view packet, std::vector<FileTransfer>& done) {
  Reader in(packet);
  const auto type = in.u8();
  const auto id = in.u32();
  if (!type || !id) return;
  switch (*type) {
    case kOpen: {
      const auto filename = in.string();
      const auto pflags = in.u32();
      if (!filename || !pflags) return;
      if (pending_opens_.size() >= kMaxPendingRequests) {
        ++untracked_;
        return;
      }
      pending_opens_[*id] = {std::string(filename->substr(0, kMaxFilename)), *pflags};
      return;
    }
    case kWrite: {
      const auto handle = in.string();
      const auto offset = handle ? in.u64() : std::nullopt;
      const auto data = offset ? in.string() : std::nullopt;
      if (!data) return;
      auto file = files_.find(std::string(*handle));
      if (file == files_.end()) return;
      file->second.written = true;
      file->second.upload.add(*offset, *data);
      return;
    }
    case kRead: {
      const auto handle = in.string();
      const auto offset = handle ? in.u64() : std::nullopt;
      if (!offset) return;
      auto file = files_.find(std::string(*handle));
      if (file == files_.end()) return;
      file->second.read = true;
      if (pending_reads_.size() >= kMaxPendingRequests) {
        file->second.read_lost = true;
        return;
      }
      pending_reads_[*id] = PendingRead{std::string(*handle), *offset};
      return;
    }
    case kClose: {
      const auto handle = in.string();
      if (!handle) return;
      auto file = files_.find(std::string(*handle));
      if (file == files_.end()) return;
      report(file->second, nullptr, done);
      files_.erase(file);
      return;
    }
    default:
      return;
  }
}

void SftpObserver::server_packet(std::string_view packet) {
  Reader in(packet);
  const auto type = in.u8();
  const auto id = in.u32();
  if (!type || !id) return;
  switch (*type) {
    case kHandle: {
      auto open = pending_opens_.find(*id);
      if (open == pending_opens_.end()) return;  // an OPENDIR, or an OPEN we could not keep
      auto [filename, pflags] = std::move(open->second);
      pending_opens_.erase(open);
      const auto handle = in.string();
      if (!handle || handle->size() > kMaxHandle) return;
      if (files_.size() >= kMaxOpenFiles) {
        ++untracked_;
        return;
      }
      File file;
      file.filename = std::move(filename);
      file.pflags = pflags;
      files_.insert_or_assign(std::string(*handle), std::move(file));
      return;
    }
    case kData: {
      auto read = pending_reads_.find(*id);
      if (read == pending_reads_.end()) return;
      const PendingRead request = std::move(read->second);
      pending_reads_.erase(read);
      const auto data = in.string();
      auto file = files_.find(request.handle);
      if (!data || file == files_.end()) return;
      file->second.download.add(request.offset, *data);
      return;
    }
    case kStatus:
      // An answer that ends a request: a failed OPEN, the end of a file, a write's result.
      pending_opens_.erase(*id);
      pending_reads_.erase(*id);
      return;
    default:
      return;
  }
}

void SftpObserver::report(File& file, const char* note, std::vector<FileTransfer>& done) {
  FileTransfer transfer;
  transfer.protocol = "sftp";
  transfer.filename = file.filename;
  // A file counts as downloaded when it was only read; opened for writing (even with no
  // WRITE, a 0-byte upload) it is an upload.
  const bool upload = file.written || (!file.read && (file.pflags & kFlagWrite) != 0);
  transfer.direction = upload ? FileTransfer::Direction::upload : FileTransfer::Direction::download;
  if (upload) {
    file.upload.finish(transfer);
  } else {
    file.download.finish(transfer);
    if (file.read_lost) {
      transfer.shasum.reset();
      transfer.note = "too many outstanding reads to follow";
    }
  }
  if (note != nullptr) transfer.note = transfer.note.empty() ? note : transfer.note + "; " + note;
  done.push_back(std::move(transfer));
}

void SftpObserver::finish(std::vector<FileTransfer>& done) {
  for (auto& [handle, file] : files_) report(file, "incomplete: channel ended before CLOSE", done);
  files_.clear();
  pending_opens_.clear();
  pending_reads_.clear();
}

}  // namespace hermes::session
