#pragma once
// Watches the bytes of one channel in both directions (without changing them) and reports the
// files that crossed it. Implementations parse hostile input: bounded buffers and tables; on
// input they cannot follow they stop observing (broken() says so) and the bytes still flow.
#include <string_view>
#include <vector>

#include "session/file_transfer.hpp"

namespace hermes::session {

class TransferObserver {
 public:
  virtual ~TransferObserver() = default;
  virtual void from_client(std::string_view bytes, std::vector<FileTransfer>& done) = 0;
  virtual void from_server(std::string_view bytes, std::vector<FileTransfer>& done) = 0;
  // The channel ended: files still open are reported with what was seen (note "incomplete").
  virtual void finish(std::vector<FileTransfer>& done) = 0;
  virtual bool broken() const = 0;
};

}  // namespace hermes::session
