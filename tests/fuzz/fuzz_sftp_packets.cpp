// The SFTP and SCP observers parse what attacker and container send: any bytes, in any
// direction and chunking, must neither crash them nor grow their tables past the bounds, and
// every reported file must be one of the protocol's directions with a sane size and hash.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "session/scp_observer.hpp"
#include "session/sftp_observer.hpp"

using namespace hermes::session;

namespace {
void check(const std::vector<FileTransfer>& done) {
  for (const auto& file : done) {
    if (file.shasum && file.shasum->size() != 64) std::abort();
    if (file.filename.size() > ScpObserver::kMaxRecord + ScpObserver::kMaxDepth * ScpObserver::kMaxRecord) std::abort();
  }
}

// Input: a control byte per chunk (bit 7: direction, low bits: length), then the chunk.
template <typename Observer>
void drive(Observer& observer, std::string_view input) {
  std::vector<FileTransfer> done;
  while (!input.empty()) {
    const auto control = static_cast<uint8_t>(input[0]);
    input.remove_prefix(1);
    const std::size_t length = std::min<std::size_t>(input.size(), 1 + (control & 0x7f) * 4);
    const auto chunk = input.substr(0, length);
    input.remove_prefix(length);
    if (control & 0x80) observer.from_server(chunk, done);
    else observer.from_client(chunk, done);
  }
  observer.finish(done);
  check(done);
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string_view input(reinterpret_cast<const char*>(data + 1), size - 1);
  switch (data[0] % 3) {
    case 0: {
      SftpObserver sftp;
      drive(sftp, input);
      if (sftp.open_files() != 0) std::abort();  // finish reports and forgets every file
      break;
    }
    case 1: {
      ScpObserver upload(ScpCommand{FileTransfer::Direction::upload, "/tmp"});
      drive(upload, input);
      break;
    }
    default: {
      if (auto command = parse_scp_command(input)) {
        if (command->target.empty()) std::abort();
      }
      break;
    }
  }
  return 0;
}
