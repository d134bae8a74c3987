#pragma once
// What a channel's bytes tell beyond themselves, published as events of the session: the
// command lines typed into an interactive shell (hermes.command.input, mode "interactive") and
// the files crossing an SFTP or SCP channel (hermes.session.file_upload / file_download).
// Watches copies of the bytes; never changes or holds back what flows.
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "session/line_editor.hpp"
#include "session/transfer_observer.hpp"

namespace hermes::session {

class Session;

class ChannelCapture {
 public:
  // Events per channel at most, so a flood of short lines or tiny files cannot flood the event
  // log; past them the operator log says so once and the recording still has the bytes.
  static constexpr std::size_t kMaxLineEvents = 10000;
  static constexpr std::size_t kMaxFileEvents = 10000;

  explicit ChannelCapture(Session& session) : session_(session) {}
  void watch_typed_lines() { editor_.emplace(); }
  void watch_transfers(std::unique_ptr<TransferObserver> observer) { transfers_ = std::move(observer); }

  void from_client(std::string_view bytes);
  void from_server(std::string_view bytes);  // the process's stdout only
  // The channel's process ended or the session is closing: report files still open. Once.
  void finish();

 private:
  void publish(std::vector<FileTransfer>& transfers);
  void note_broken();
  bool within_budget(std::size_t& published, std::size_t limit, const char* what);

  Session& session_;
  std::optional<LineEditor> editor_;
  std::unique_ptr<TransferObserver> transfers_;
  std::vector<EditedLine> lines_;
  std::vector<FileTransfer> files_;
  std::size_t lines_published_ = 0, files_published_ = 0;
  bool broken_reported_ = false;
  bool finished_ = false;
};

}  // namespace hermes::session
