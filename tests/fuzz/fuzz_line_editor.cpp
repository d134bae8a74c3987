// LineEditor must survive any byte stream, fed in any chunks, and keep its promises: no line
// longer than kMaxLine, no history beyond kMaxHistory, no control byte in a line but '\t', the
// pending line within kMaxLine too.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "session/line_editor.hpp"

using hermes::session::EditedLine;
using hermes::session::LineEditor;

namespace {
void check(const std::string& text) {
  if (text.size() > LineEditor::kMaxLine) std::abort();
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if ((byte < 0x20 && byte != '\t') || byte == 0x7f) std::abort();
  }
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  // The first byte picks a chunk size, so splits inside escape sequences get exercised.
  const std::size_t chunk = 1 + data[0] % 16;
  const std::string_view input(reinterpret_cast<const char*>(data + 1), size - 1);
  LineEditor editor;
  std::vector<EditedLine> out;
  for (std::size_t i = 0; i < input.size(); i += chunk) {
    editor.feed(input.substr(i, chunk), out);
    check(editor.pending());
    if (editor.history_size() > LineEditor::kMaxHistory) std::abort();
  }
  for (const auto& line : out) {
    check(line.text);
    if (line.text.find_first_not_of(" \t") == std::string::npos) std::abort();  // blank lines are no command
  }
  return 0;
}
