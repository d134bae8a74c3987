#include "session/channel_capture.hpp"

#include "common/log.hpp"
#include "session/session.hpp"

namespace hermes::session {

void ChannelCapture::from_client(std::string_view bytes) {
  if (editor_) {
    lines_.clear();
    editor_->feed(bytes, lines_);
    for (auto& line : lines_) {
      if (!within_budget(lines_published_, kMaxLineEvents, "typed lines")) break;
      nlohmann::json fields{{"input", line.text}, {"mode", "interactive"}};
      if (line.truncated) fields["truncated"] = true;
      session_.publish("hermes.command.input", "CMD: " + line.text, std::move(fields));
    }
  }
  if (transfers_ && !finished_) {
    files_.clear();
    transfers_->from_client(bytes, files_);
    publish(files_);
    note_broken();
  }
}

void ChannelCapture::from_server(std::string_view bytes) {
  if (!transfers_ || finished_) return;
  files_.clear();
  transfers_->from_server(bytes, files_);
  publish(files_);
  note_broken();
}

void ChannelCapture::finish() {
  if (!transfers_ || finished_) return;
  finished_ = true;
  files_.clear();
  transfers_->finish(files_);
  publish(files_);
}

void ChannelCapture::note_broken() {
  if (broken_reported_ || !transfers_->broken()) return;
  broken_reported_ = true;
  log::warn("session", "session " + session_.info().session +
                           ": file transfer stream not understood; later files on this channel are not reported");
}

bool ChannelCapture::within_budget(std::size_t& published, std::size_t limit, const char* what) {
  if (published > limit) return false;
  if (++published <= limit) return true;
  log::warn("session", "session " + session_.info().session + ": more than " + std::to_string(limit) + " " +
                           what + " on one channel; further ones are not reported as events");
  return false;
}

void ChannelCapture::publish(std::vector<FileTransfer>& transfers) {
  for (auto& file : transfers) {
    if (!within_budget(files_published_, kMaxFileEvents, "file transfers")) break;
    const bool upload = file.direction == FileTransfer::Direction::upload;
    nlohmann::json fields{{"filename", file.filename},
                          {"size", file.size},
                          {"shasum", file.shasum ? nlohmann::json(*file.shasum) : nlohmann::json(nullptr)},
                          {"via", file.protocol}};
    if (!file.target.empty()) fields["target"] = file.target;
    if (!file.note.empty()) fields["note"] = file.note;
    const std::string message = std::string(upload ? "File uploaded" : "File downloaded") + " via " +
                                file.protocol + ": " + file.filename + " (" + std::to_string(file.size) +
                                " bytes, sha256 " + file.shasum.value_or("unknown") + ")";
    session_.publish(upload ? "hermes.session.file_upload" : "hermes.session.file_download", message,
                     std::move(fields));
  }
}

}  // namespace hermes::session
