#include "session/line_editor.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace hermes::session {
namespace {

std::vector<std::string> lines_of(std::string_view typed) {
  LineEditor editor;
  std::vector<EditedLine> out;
  editor.feed(typed, out);
  std::vector<std::string> texts;
  for (const auto& line : out) texts.push_back(line.text);
  return texts;
}

using Lines = std::vector<std::string>;

TEST(LineEditor, PlainLinesEndWithCrLfOrCrLf) {
  EXPECT_EQ(lines_of("ls -la\rid\nuname -a\r\npwd\r"), (Lines{"ls -la", "id", "uname -a", "pwd"}));
}

TEST(LineEditor, BlankLinesAreNoCommand) { EXPECT_EQ(lines_of("\r  \r\t\r\n\n"), Lines{}); }

TEST(LineEditor, BackspaceDeleteAndCtrlH) {
  EXPECT_EQ(lines_of("ech\x7fho helo\x08lo\r"), Lines{"echo hello"});
  EXPECT_EQ(lines_of("\x7f\x7f" "ab\r"), Lines{"ab"});  // at the start: nothing to delete
}

TEST(LineEditor, KillLineAndWord) {
  EXPECT_EQ(lines_of("echo wrong\x15" "echo right\r"), Lines{"echo right"});
  EXPECT_EQ(lines_of("echo one two\x17three\r"), Lines{"echo one three"});
  EXPECT_EQ(lines_of("cat /etc/pass  \x17/etc/passwd\r"), Lines{"cat /etc/passwd"});
  // ^U kills only what is before the cursor, as readline's unix-line-discard.
  EXPECT_EQ(lines_of("junk ls\x1b[D\x1b[D\x15\r"), Lines{"ls"});
  // ^K kills to the end.
  EXPECT_EQ(lines_of("ls -la junk\x1b[D\x1b[D\x1b[D\x1b[D\x1b[D\x0b\r"), Lines{"ls -la"});
  // Meta-Backspace kills an alphanumeric word.
  EXPECT_EQ(lines_of("cat /etc/shadow\x1b\x7fpasswd\r"), Lines{"cat /etc/passwd"});
}

TEST(LineEditor, CursorMovesInsertInTheMiddle) {
  EXPECT_EQ(lines_of("echo abc\x1b[D\x1b[DX\r"), Lines{"echo aXbc"});
  EXPECT_EQ(lines_of("echo abc\x1bOD\x1bODX\x1bOCY\r"), Lines{"echo aXbYc"});  // application mode
  EXPECT_EQ(lines_of("cho hi\x01" "e\r"), Lines{"echo hi"});
  EXPECT_EQ(lines_of("cho hi\x1b[He\x1b[F!\r"), Lines{"echo hi!"});
  EXPECT_EQ(lines_of("cho hi\x1b[1~e\x1b[4~!\r"), Lines{"echo hi!"});
  EXPECT_EQ(lines_of("ab\x02\x02\x02X\x06\x06\x06\x06Y\x05Z\r"), Lines{"XabYZ"});
  EXPECT_EQ(lines_of("echo abcd\x1b[D\x1b[D\x1b[3~\r"), Lines{"echo abd"});
  EXPECT_EQ(lines_of("echo abcd\x1b[D\x1b[D\x04\r"), Lines{"echo abd"});  // ^D mid-line deletes
  EXPECT_EQ(lines_of("one two\x1b" "bX\x1b" "fY\r"), Lines{"one XtwoY"});
  EXPECT_EQ(lines_of("rm -rf /tmp\x1b[1;5D\x1b[1;5DZ\r"), Lines{"rm -Zrf /tmp"});
}

TEST(LineEditor, CursorRespectsUtf8Characters) {
  EXPECT_EQ(lines_of("echo h\xc3\xa9!\x1b[D\x1b[D\x1b[3~e\r"), Lines{"echo he!"});
}

TEST(LineEditor, CtrlCDiscardsAndCtrlDOnEmptyLineIsNotACommand) {
  EXPECT_EQ(lines_of("rm -rf /\x03ls\r\x04"), Lines{"ls"});
  LineEditor editor;
  std::vector<EditedLine> out;
  editor.feed("half typed\x03", out);
  EXPECT_TRUE(out.empty());
  EXPECT_EQ(editor.pending(), "");
}

TEST(LineEditor, HistoryRecallsReconstructedLines) {
  EXPECT_EQ(lines_of("echo first\recho second\r\x1b[A\x1b[A\r"), (Lines{"echo first", "echo second", "echo first"}));
  EXPECT_EQ(lines_of("ls\rid\r\x1b[A\x1b[A\x1b[B -u\r"), (Lines{"ls", "id", "id -u"}));
  // Down past the newest line brings back what was being typed.
  EXPECT_EQ(lines_of("ls\rwh\x1b[A\x1b[Boami\r"), (Lines{"ls", "whoami"}));
  EXPECT_EQ(lines_of("ls\r\x10 -l\r"), (Lines{"ls", "ls -l"}));
  EXPECT_EQ(lines_of("\x1b[A\x1b[Bid\r"), Lines{"id"});  // no history yet
}

TEST(LineEditor, BracketedPasteIsLiteralAndSplitsAtNewlines) {
  EXPECT_EQ(lines_of("\x1b[200~echo pasted\x1b[201~\r"), Lines{"echo pasted"});
  EXPECT_EQ(lines_of("\x1b[200~cd /tmp\nwget x\x7f\x03\x1b[A\x1b[201~ -q\r"),
            (Lines{"cd /tmp", "wget x -q"}));
}

TEST(LineEditor, TabIsKeptAndUnknownControlsIgnored) {
  EXPECT_EQ(lines_of("cat /etc/pas\t\r"), Lines{"cat /etc/pas\t"});
  EXPECT_EQ(lines_of("l\x0c\x12s\x1b[5~\x1b[?1;2c\r"), Lines{"ls"});
}

TEST(LineEditor, LinesSplitAcrossFeedsJoin) {
  LineEditor editor;
  std::vector<EditedLine> out;
  for (const char c : std::string("echo ab\x1b[Dc\r")) editor.feed(std::string_view(&c, 1), out);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].text, "echo acb");
}

TEST(LineEditor, LongLinesAreCappedAndMarked) {
  LineEditor editor;
  std::vector<EditedLine> out;
  editor.feed(std::string(LineEditor::kMaxLine + 100, 'a') + "\r", out);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].text.size(), LineEditor::kMaxLine);
  EXPECT_TRUE(out[0].truncated);
  editor.feed("id\r", out);
  EXPECT_FALSE(out[1].truncated);
}

TEST(LineEditor, HistoryIsCapped) {
  LineEditor editor;
  std::vector<EditedLine> out;
  for (std::size_t i = 0; i < LineEditor::kMaxHistory + 10; ++i) editor.feed("cmd" + std::to_string(i) + "\r", out);
  EXPECT_EQ(editor.history_size(), LineEditor::kMaxHistory);
}

TEST(LineEditor, OverlongEscapeSequencesAreDropped) {
  EXPECT_EQ(lines_of("a\x1b[" + std::string(100, '1') + "~b\r"), Lines{"ab"});
}

}  // namespace
}  // namespace hermes::session
