#pragma once
// Appends `text` (valid UTF-8) to `out` as a JSON string literal, quotes included: the same
// bytes nlohmann::json's dump() writes for it (short escapes for \b \f \n \r \t, \u00xx in
// lower-case hex for the other control characters, everything else as is). The asciicast writer
// escapes every byte a session prints; dump() formats each control character with snprintf,
// which made writing a recording the larger half of a session's CPU for binary output.
#include <string>
#include <string_view>

namespace hermes::record {

void append_json_string(std::string& out, std::string_view text);

}  // namespace hermes::record
