#include "session/line_editor.hpp"

#include <cctype>

namespace hermes::session {

namespace {
constexpr unsigned char kEsc = 0x1b;

bool is_continuation(unsigned char byte) { return (byte & 0xC0) == 0x80; }
bool is_space(char c) { return c == ' ' || c == '\t'; }
// readline's M-b/M-f/M-DEL words are runs of letters and digits.
bool is_alnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || (c & 0x80) != 0; }
}  // namespace

void LineEditor::feed(std::string_view bytes, std::vector<EditedLine>& out) {
  for (const char c : bytes) {
    const auto byte = static_cast<unsigned char>(c);
    switch (state_) {
      case State::text:
        on_text_byte(byte, out);
        break;
      case State::escape:
        on_escape_byte(byte);
        break;
      case State::csi:
      case State::ss3:
        if (byte >= 0x40 && byte <= 0x7e) {
          state_ == State::csi ? on_csi_final(byte) : on_ss3_final(byte);
          state_ = State::text;
        } else if (byte >= 0x20 && byte <= 0x3f) {
          if (escape_params_.size() < kMaxEscape) escape_params_.push_back(c);
          else escape_overlong_ = true;
        } else {
          state_ = State::text;  // a broken sequence: the byte counts as typed
          on_text_byte(byte, out);
        }
        break;
    }
  }
}

void LineEditor::on_text_byte(unsigned char byte, std::vector<EditedLine>& out) {
  const bool was_after_cr = after_cr_;
  after_cr_ = false;
  if (byte == '\n' && was_after_cr) return;
  if (byte == kEsc) {
    state_ = State::escape;
    escape_params_.clear();
    escape_overlong_ = false;
    return;
  }
  if (byte < 0x20 || byte == 0x7f) {
    on_control(byte, out);
    return;
  }
  insert(byte);
}

void LineEditor::on_control(unsigned char byte, std::vector<EditedLine>& out) {
  switch (byte) {
    case '\r':
      after_cr_ = true;
      submit(out);
      break;
    case '\n':
      submit(out);
      break;
    case '\t':
      insert(byte);  // completion happens in the shell; the input only shows the request
      break;
    case 0x7f:  // DEL, what terminals send for Backspace
    case 0x08:  // ^H
      if (!pasting_) delete_before_cursor();
      break;
    default:
      if (pasting_) break;  // pasted control bytes are not key presses
      switch (byte) {
        case 0x01: cursor_ = 0; break;                                   // ^A
        case 0x02: move_left(); break;                                   // ^B
        case 0x03: discard_line(); break;                                // ^C
        case 0x04: if (!line_.empty()) delete_at_cursor(); break;        // ^D (empty: EOF)
        case 0x05: cursor_ = line_.size(); break;                        // ^E
        case 0x06: move_right(); break;                                  // ^F
        case 0x0b: line_.erase(cursor_); break;                          // ^K
        case 0x0e: history_next(); break;                                // ^N
        case 0x10: history_previous(); break;                            // ^P
        case 0x15: line_.erase(0, cursor_); cursor_ = 0; break;          // ^U
        case 0x17: kill_word_before_cursor(true); break;                 // ^W
        default: break;  // ^L, ^R, ^V... change nothing we can know
      }
  }
}

void LineEditor::on_escape_byte(unsigned char byte) {
  state_ = State::text;
  if (byte == '[') {
    state_ = State::csi;
  } else if (byte == 'O') {
    state_ = State::ss3;
  } else if (pasting_) {
    return;
  } else if (byte == 'b') {
    move_word_left();
  } else if (byte == 'f') {
    move_word_right();
  } else if (byte == 'd') {
    kill_word_after_cursor();
  } else if (byte == 0x7f || byte == 0x08) {
    kill_word_before_cursor(false);
  }
}

bool LineEditor::on_cursor_key(unsigned char final_byte) {
  switch (final_byte) {
    case 'A': history_previous(); return true;
    case 'B': history_next(); return true;
    case 'C': move_right(); return true;
    case 'D': move_left(); return true;
    case 'H': cursor_ = 0; return true;
    case 'F': cursor_ = line_.size(); return true;
    default: return false;
  }
}

void LineEditor::on_csi_final(unsigned char final_byte) {
  if (escape_overlong_) return;
  if (final_byte == '~') {
    const std::string& p = escape_params_;
    if (p == "200") pasting_ = true;
    else if (p == "201") pasting_ = false;
    else if (pasting_) return;
    else if (p == "1" || p == "7") cursor_ = 0;
    else if (p == "4" || p == "8") cursor_ = line_.size();
    else if (p == "3") delete_at_cursor();
    return;
  }
  if (pasting_) return;
  // Ctrl/Alt+arrows (ESC[1;5C, ESC[1;3D) move by words, as Debian's /etc/inputrc binds them.
  const bool word_modifier = escape_params_ == "1;5" || escape_params_ == "1;3";
  if (word_modifier && final_byte == 'C') move_word_right();
  else if (word_modifier && final_byte == 'D') move_word_left();
  else if (escape_params_.empty() || escape_params_.rfind("1;", 0) == 0) on_cursor_key(final_byte);
}

void LineEditor::on_ss3_final(unsigned char final_byte) {
  if (!pasting_ && escape_params_.empty()) on_cursor_key(final_byte);
}

void LineEditor::insert(unsigned char byte) {
  if (line_.size() >= kMaxLine) {
    truncated_ = true;
    return;
  }
  line_.insert(cursor_, 1, static_cast<char>(byte));
  ++cursor_;
  // Keep the cursor on a character boundary: a multi-byte character inserted in the middle
  // arrives byte by byte, each continuation byte following its lead.
}

void LineEditor::submit(std::vector<EditedLine>& out) {
  const bool blank = line_.find_first_not_of(" \t") == std::string::npos;
  if (!blank) {
    out.push_back(EditedLine{line_, truncated_});
    if (history_.size() >= kMaxHistory) history_.pop_front();
    history_.push_back(line_);
  }
  discard_line();
}

void LineEditor::discard_line() {
  line_.clear();
  cursor_ = 0;
  truncated_ = false;
  draft_.clear();
  history_pos_ = history_.size();
}

void LineEditor::replace_line(const std::string& text) {
  line_ = text;
  cursor_ = line_.size();
}

void LineEditor::move_left() {
  while (cursor_ > 0) {
    --cursor_;
    if (!is_continuation(static_cast<unsigned char>(line_[cursor_]))) break;
  }
}

void LineEditor::move_right() {
  if (cursor_ >= line_.size()) return;
  ++cursor_;
  while (cursor_ < line_.size() && is_continuation(static_cast<unsigned char>(line_[cursor_]))) ++cursor_;
}

void LineEditor::delete_before_cursor() {
  const std::size_t end = cursor_;
  move_left();
  line_.erase(cursor_, end - cursor_);
}

void LineEditor::delete_at_cursor() {
  const std::size_t start = cursor_;
  move_right();
  line_.erase(start, cursor_ - start);
  cursor_ = start;
}

void LineEditor::kill_word_before_cursor(bool whitespace_words) {
  auto in_word = [whitespace_words](char c) { return whitespace_words ? !is_space(c) : is_alnum(c); };
  std::size_t start = cursor_;
  while (start > 0 && !in_word(line_[start - 1])) --start;
  while (start > 0 && in_word(line_[start - 1])) --start;
  line_.erase(start, cursor_ - start);
  cursor_ = start;
}

void LineEditor::move_word_left() {
  while (cursor_ > 0 && !is_alnum(line_[cursor_ - 1])) --cursor_;
  while (cursor_ > 0 && is_alnum(line_[cursor_ - 1])) --cursor_;
}

void LineEditor::move_word_right() {
  while (cursor_ < line_.size() && !is_alnum(line_[cursor_])) ++cursor_;
  while (cursor_ < line_.size() && is_alnum(line_[cursor_])) ++cursor_;
}

void LineEditor::kill_word_after_cursor() {
  const std::size_t start = cursor_;
  move_word_right();
  line_.erase(start, cursor_ - start);
  cursor_ = start;
}

void LineEditor::history_previous() {
  if (history_pos_ == 0) return;
  if (history_pos_ == history_.size()) draft_ = line_;
  --history_pos_;
  replace_line(history_[history_pos_]);
}

void LineEditor::history_next() {
  if (history_pos_ >= history_.size()) return;
  ++history_pos_;
  replace_line(history_pos_ == history_.size() ? draft_ : history_[history_pos_]);
}

}  // namespace hermes::session
