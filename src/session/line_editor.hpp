#pragma once
// Rebuilds the command lines an attacker typed from the raw bytes of an interactive shell
// channel, the way readline in emacs mode (bash's default) would apply them: insertion at the
// cursor, backspace, ^U/^W/^K kills, ^A/^E and arrow/Home/End/Delete keys, ^C, ^D, up/down
// history recall, bracketed paste. Pure and bounded: no I/O, a line holds at most kMaxLine
// bytes (more typing is dropped and the line marked truncated), history keeps kMaxHistory lines.
//
// What cannot be known from the input alone is kept visibly: a tab stays a '\t' (the shell's
// completion result is not in the input), ^R searches and unknown escape sequences are ignored.
// Completed lines contain no control bytes but '\t'.
#include <cstddef>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

namespace hermes::session {

struct EditedLine {
  std::string text;
  bool truncated = false;  // typing went past kMaxLine; the rest was dropped
};

class LineEditor {
 public:
  static constexpr std::size_t kMaxLine = 4096;
  static constexpr std::size_t kMaxHistory = 100;
  static constexpr std::size_t kMaxEscape = 16;  // parameter bytes of one escape sequence

  // Applies `bytes`; each line the user submitted (Enter) that is not blank is appended to `out`.
  void feed(std::string_view bytes, std::vector<EditedLine>& out);
  // The line being edited (not submitted yet).
  const std::string& pending() const { return line_; }
  std::size_t history_size() const { return history_.size(); }

 private:
  enum class State { text, escape, csi, ss3 };
  void on_text_byte(unsigned char byte, std::vector<EditedLine>& out);
  void on_control(unsigned char byte, std::vector<EditedLine>& out);
  void on_escape_byte(unsigned char byte);
  void on_csi_final(unsigned char final_byte);
  void on_ss3_final(unsigned char final_byte);
  bool on_cursor_key(unsigned char final_byte);  // A B C D H F shared by CSI and SS3

  void insert(unsigned char byte);
  void submit(std::vector<EditedLine>& out);
  void discard_line();
  void replace_line(const std::string& text);
  void move_left();
  void move_right();
  void delete_before_cursor();
  void delete_at_cursor();
  void kill_word_before_cursor(bool whitespace_words);
  void move_word_left();
  void move_word_right();
  void kill_word_after_cursor();
  void history_previous();
  void history_next();

  State state_ = State::text;
  std::string escape_params_;
  bool escape_overlong_ = false;
  bool pasting_ = false;
  bool after_cr_ = false;  // a LF right after CR is the same Enter

  std::string line_;
  std::size_t cursor_ = 0;  // byte offset in line_, always at a UTF-8 character boundary
  bool truncated_ = false;

  std::deque<std::string> history_;
  std::size_t history_pos_ = 0;  // == history_.size(): editing a new line
  std::string draft_;            // the new line while browsing history
};

}  // namespace hermes::session
