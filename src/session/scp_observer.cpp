#include "session/scp_observer.hpp"

#include <charconv>

namespace hermes::session {

namespace {
std::vector<std::string_view> split_words(std::string_view text) {
  std::vector<std::string_view> words;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
    const std::size_t start = i;
    while (i < text.size() && text[i] != ' ' && text[i] != '\t') ++i;
    if (i > start) words.push_back(text.substr(start, i - start));
  }
  return words;
}

bool is_octal(std::string_view s) {
  return !s.empty() && s.size() <= 5 && s.find_first_not_of("01234567") == std::string_view::npos;
}
}  // namespace

std::optional<ScpCommand> parse_scp_command(std::string_view command) {
  const auto words = split_words(command);
  if (words.empty() || (words[0] != "scp" && words[0] != "/usr/bin/scp" && words[0] != "/bin/scp")) return std::nullopt;
  std::optional<FileTransfer::Direction> direction;
  std::size_t i = 1;
  for (; i < words.size(); ++i) {
    const auto word = words[i];
    if (word == "--") {
      ++i;
      break;
    }
    if (word.size() < 2 || word[0] != '-') break;
    for (const char flag : word.substr(1)) {
      if (flag == 't') direction = FileTransfer::Direction::upload;
      if (flag == 'f') direction = FileTransfer::Direction::download;
    }
  }
  if (!direction || i >= words.size()) return std::nullopt;
  // The rest is the path (a name may contain spaces; the shell would split it, sshd's scp too).
  std::string target(words[i]);
  for (++i; i < words.size(); ++i) target += " " + std::string(words[i]);
  return ScpCommand{*direction, target};
}

void ScpObserver::from_client(std::string_view bytes, std::vector<FileTransfer>& done) {
  if (command_.direction == FileTransfer::Direction::upload) sender_bytes(bytes, done);
}

void ScpObserver::from_server(std::string_view bytes, std::vector<FileTransfer>& done) {
  if (command_.direction == FileTransfer::Direction::download) sender_bytes(bytes, done);
}

void ScpObserver::sender_bytes(std::string_view bytes, std::vector<FileTransfer>& done) {
  while (!bytes.empty() && !broken_) {
    switch (state_) {
      case State::record: {
        const auto newline = bytes.find('\n');
        const auto take = newline == std::string_view::npos ? bytes.size() : newline;
        if (record_.size() + take > kMaxRecord) {
          broken_ = true;
          return;
        }
        record_.append(bytes.substr(0, take));
        bytes.remove_prefix(take);
        if (newline == std::string_view::npos) return;
        bytes.remove_prefix(1);
        on_record();
        record_.clear();
        break;
      }
      case State::data: {
        const auto take = static_cast<std::size_t>(std::min<uint64_t>(remaining_, bytes.size()));
        hash_->update(bytes.substr(0, take));
        remaining_ -= take;
        bytes.remove_prefix(take);
        if (remaining_ == 0) state_ = State::status;
        break;
      }
      case State::status:
        state_ = State::record;
        if (bytes[0] == '\0') {
          report(nullptr, done);
          bytes.remove_prefix(1);
        } else {
          report("sender reported an error after the data", done);  // the byte starts a message
        }
        break;
    }
  }
}

void ScpObserver::on_record() {
  if (record_.empty()) {
    broken_ = true;
    return;
  }
  switch (record_[0]) {
    case 'T':
    case '\x01':
    case '\x02':
      return;  // times, warnings and errors name no file
    case 'E':
      if (depth_ > 0) {
        if (depth_ <= directories_.size()) directories_.pop_back();
        --depth_;
      }
      return;
    case 'C':
    case 'D': {
      // <mode> <size> <name>: the name is the rest of the line.
      const std::string_view body = std::string_view(record_).substr(1);
      const auto first_space = body.find(' ');
      const auto second_space = first_space == std::string_view::npos ? first_space : body.find(' ', first_space + 1);
      if (second_space == std::string_view::npos || !is_octal(body.substr(0, first_space))) {
        broken_ = true;
        return;
      }
      const auto size_text = body.substr(first_space + 1, second_space - first_space - 1);
      uint64_t size = 0;
      const auto parsed = std::from_chars(size_text.data(), size_text.data() + size_text.size(), size);
      const std::string_view name = body.substr(second_space + 1);
      if (parsed.ec != std::errc() || parsed.ptr != size_text.data() + size_text.size() || name.empty()) {
        broken_ = true;
        return;
      }
      if (record_[0] == 'D') {
        if (depth_++ < kMaxDepth) directories_.emplace_back(name);
        return;
      }
      name_.clear();
      for (const auto& directory : directories_) name_ += directory + "/";
      name_ += name;
      size_ = remaining_ = size;
      hash_ = std::make_unique<Sha256>();
      state_ = remaining_ == 0 ? State::status : State::data;
      return;
    }
    default:
      broken_ = true;
  }
}

void ScpObserver::report(const char* note, std::vector<FileTransfer>& done) {
  FileTransfer transfer;
  transfer.direction = command_.direction;
  transfer.protocol = "scp";
  transfer.filename = name_;
  transfer.target = command_.target;
  transfer.size = size_ - remaining_;
  transfer.shasum = hash_->hex_digest();
  if (note != nullptr) transfer.note = note;
  hash_.reset();
  done.push_back(std::move(transfer));
}

void ScpObserver::finish(std::vector<FileTransfer>& done) {
  if (state_ == State::data || state_ == State::status) {
    report("incomplete: channel ended during the file", done);
    if (!done.empty() && done.back().size != size_) done.back().shasum.reset();
  }
  state_ = State::record;
}

}  // namespace hermes::session
