#pragma once
// Follows the legacy SCP protocol ("rcp") on the channel of an exec'd `scp -t` (the client
// uploads) or `scp -f` (the client downloads). Only the sender's direction carries files:
// records `C<mode> <size> <name>\n` then <size> bytes then a status byte, `D<mode> 0 <name>\n` /
// `E\n` around a directory's files, `T<times>\n` before either, and \x01/\x02 warning lines.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "session/transfer_observer.hpp"

namespace hermes::session {

struct ScpCommand {
  FileTransfer::Direction direction;  // upload for -t (the client sends), download for -f
  std::string target;                 // the path argument
};

// Recognises `scp [options] -t|-f [--] path` (also /usr/bin/scp); anything else is nullopt.
std::optional<ScpCommand> parse_scp_command(std::string_view command);

class ScpObserver : public TransferObserver {
 public:
  static constexpr std::size_t kMaxRecord = 8 * 1024;  // one header line
  static constexpr std::size_t kMaxDepth = 64;         // directory nesting named in filenames

  explicit ScpObserver(ScpCommand command) : command_(std::move(command)) {}
  void from_client(std::string_view bytes, std::vector<FileTransfer>& done) override;
  void from_server(std::string_view bytes, std::vector<FileTransfer>& done) override;
  void finish(std::vector<FileTransfer>& done) override;
  bool broken() const override { return broken_; }

 private:
  enum class State { record, data, status };
  void sender_bytes(std::string_view bytes, std::vector<FileTransfer>& done);
  void on_record();
  void report(const char* note, std::vector<FileTransfer>& done);

  ScpCommand command_;
  State state_ = State::record;
  std::string record_;
  std::vector<std::string> directories_;
  std::size_t depth_ = 0;  // may exceed directories_.size() past kMaxDepth
  std::string name_;
  uint64_t size_ = 0, remaining_ = 0;
  std::unique_ptr<Sha256> hash_;
  bool broken_ = false;
};

}  // namespace hermes::session
