#include "common/session_line.hpp"

#include <algorithm>
#include <array>
#include <charconv>

// Wire rules (shared by encoder and decoder so they cannot drift apart):
//   line   = magic *(" " key "=" value) "\n"
//   value  = *(unreserved / "%" HEX HEX)
// The encoder writes every fixed key exactly once, then any env entries. The decoder insists on
// the same (each fixed key exactly once) so a line is never ambiguous, and ignores unknown keys so
// a newer Hermes can add fields without breaking an older image's init.
// The encoder always yields a line the decoder accepts: it clamps numbers, drops NUL bytes,
// caps the fixed strings and leaves out env entries that break the rules or would not fit. An
// attacker controls most of these values (pty-req sizes, env requests), and a line init rejects
// would leave the session hanging.

namespace hermes {
namespace {

constexpr std::string_view kMagic = "HERMES-SESSION/1";
constexpr std::size_t kMaxEnvEntries = 256;
// User, TERM and the addresses are short in any real session; the cap keeps the fixed part of
// the line far below kMaxSessionLine so env entries always have room.
constexpr std::size_t kMaxFieldBytes = 1024;
constexpr int kMinDimension = 1, kMaxDimension = 10000;
constexpr int kMinPort = 0, kMaxPort = 65535;

bool is_unreserved(unsigned char c) {
  if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) return true;
  switch (c) {
    case '.': case '_': case '~': case '/': case ':': case '@': case '+': case '-':
      return true;
    default:
      return false;
  }
}

void append_encoded(std::string& out, std::string_view raw) {
  static constexpr char hex[] = "0123456789ABCDEF";
  for (unsigned char c : raw) {
    if (is_unreserved(c)) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

// Strict: every byte must be unreserved or a complete %XX escape, and no decoded NUL.
std::optional<std::string> percent_decode(std::string_view encoded) {
  std::string out;
  out.reserve(encoded.size());
  for (std::size_t i = 0; i < encoded.size(); ++i) {
    const auto c = static_cast<unsigned char>(encoded[i]);
    if (c == '%') {
      if (i + 2 >= encoded.size()) return std::nullopt;  // truncated escape
      const int hi = hex_value(encoded[i + 1]);
      const int lo = hex_value(encoded[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      const char decoded = static_cast<char>(hi * 16 + lo);
      if (decoded == '\0') return std::nullopt;
      out += decoded;
      i += 2;
    } else if (is_unreserved(c)) {
      out += static_cast<char>(c);
    } else {
      return std::nullopt;
    }
  }
  return out;
}

std::optional<int> parse_bounded_int(std::string_view text, int min, int max) {
  // Digits only: from_chars would accept a leading '-', which no field here allows.
  if (text.empty() || text.size() > 9) return std::nullopt;
  if (!std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return std::nullopt;
  int value = 0;
  std::from_chars(text.data(), text.data() + text.size(), value);
  if (value < min || value > max) return std::nullopt;
  return value;
}

bool is_env_name(std::string_view name) {
  if (name.empty()) return false;
  auto alpha = [](char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; };
  if (!alpha(name.front())) return false;
  return std::all_of(name.begin() + 1, name.end(),
                     [&](char c) { return alpha(c) || (c >= '0' && c <= '9'); });
}

std::string sanitized_field(std::string_view raw) {
  std::string out;
  for (char c : raw) {
    if (out.size() == kMaxFieldBytes) break;
    if (c != '\0') out += c;
  }
  return out;
}

void append_pair(std::string& line, std::string_view key, std::string_view raw_value) {
  line += ' ';
  line += key;
  line += '=';
  append_encoded(line, raw_value);
}

// The fixed keys, in the order the encoder writes them.
enum Field { kUser, kTerm, kCols, kRows, kClientIp, kClientPort, kServerIp, kServerPort, kFieldCount };
constexpr std::array<std::string_view, kFieldCount> kFieldNames = {
    "user", "term", "cols", "rows", "client_ip", "client_port", "server_ip", "server_port"};

bool assign_field(SessionStart& start, Field field, std::string value) {
  if (value.size() > kMaxFieldBytes) return false;
  std::optional<int> number;
  switch (field) {
    case kUser: start.user = std::move(value); return true;
    case kTerm: start.term = std::move(value); return true;
    case kClientIp: start.client_ip = std::move(value); return true;
    case kServerIp: start.server_ip = std::move(value); return true;
    case kCols:
      number = parse_bounded_int(value, kMinDimension, kMaxDimension);
      if (number) start.cols = *number;
      return number.has_value();
    case kRows:
      number = parse_bounded_int(value, kMinDimension, kMaxDimension);
      if (number) start.rows = *number;
      return number.has_value();
    case kClientPort:
      number = parse_bounded_int(value, kMinPort, kMaxPort);
      if (number) start.client_port = *number;
      return number.has_value();
    case kServerPort:
      number = parse_bounded_int(value, kMinPort, kMaxPort);
      if (number) start.server_port = *number;
      return number.has_value();
    case kFieldCount: break;
  }
  return false;
}

}  // namespace

std::string encode_session_line(const SessionStart& start) {
  std::string line(kMagic);
  append_pair(line, "user", sanitized_field(start.user));
  append_pair(line, "term", sanitized_field(start.term));
  append_pair(line, "cols", std::to_string(std::clamp(start.cols, kMinDimension, kMaxDimension)));
  append_pair(line, "rows", std::to_string(std::clamp(start.rows, kMinDimension, kMaxDimension)));
  append_pair(line, "client_ip", sanitized_field(start.client_ip));
  append_pair(line, "client_port", std::to_string(std::clamp(start.client_port, kMinPort, kMaxPort)));
  append_pair(line, "server_ip", sanitized_field(start.server_ip));
  append_pair(line, "server_port", std::to_string(std::clamp(start.server_port, kMinPort, kMaxPort)));

  std::size_t env_written = 0;
  for (const auto& [name, value] : start.env) {
    if (env_written == kMaxEnvEntries) break;
    if (!is_env_name(name) || value.find('\0') != std::string::npos) continue;
    std::string pair(" env=");
    append_encoded(pair, name);
    pair += "%3D";
    append_encoded(pair, value);
    // +1 for the final '\n': the whole line, newline included, must fit kMaxSessionLine.
    if (line.size() + pair.size() + 1 > kMaxSessionLine) continue;
    line += pair;
    ++env_written;
  }
  line += '\n';
  return line;
}

std::optional<SessionStart> decode_session_line(std::string_view line) {
  if (!line.empty() && line.back() == '\n') line.remove_suffix(1);
  // Measured as if the newline were there, so encode's and decode's limits agree.
  if (line.size() + 1 > kMaxSessionLine) return std::nullopt;

  SessionStart start;
  std::array<bool, kFieldCount> seen{};
  bool magic_seen = false;
  std::size_t pos = 0;
  while (pos <= line.size()) {
    std::size_t end = line.find(' ', pos);
    if (end == std::string_view::npos) end = line.size();
    const std::string_view token = line.substr(pos, end - pos);
    pos = end + 1;

    if (!magic_seen) {
      if (token != kMagic) return std::nullopt;
      magic_seen = true;
      continue;
    }
    const std::size_t eq = token.find('=');
    if (eq == std::string_view::npos || eq == 0) return std::nullopt;  // also rejects "  "
    const std::string_view key = token.substr(0, eq);
    auto value = percent_decode(token.substr(eq + 1));
    if (!value) return std::nullopt;

    if (key == "env") {
      if (start.env.size() == kMaxEnvEntries) return std::nullopt;
      const std::size_t name_end = value->find('=');
      if (name_end == std::string::npos) return std::nullopt;
      std::string name = value->substr(0, name_end);
      if (!is_env_name(name)) return std::nullopt;
      start.env.emplace_back(std::move(name), value->substr(name_end + 1));
      continue;
    }
    const auto known = std::find(kFieldNames.begin(), kFieldNames.end(), key);
    if (known == kFieldNames.end()) continue;  // a newer Hermes' field: ignore
    const auto field = static_cast<Field>(known - kFieldNames.begin());
    if (seen[field]) return std::nullopt;  // duplicates would make the line ambiguous
    seen[field] = true;
    if (!assign_field(start, field, std::move(*value))) return std::nullopt;
  }
  if (!magic_seen) return std::nullopt;
  if (!std::all_of(seen.begin(), seen.end(), [](bool s) { return s; })) return std::nullopt;
  return start;
}

}  // namespace hermes
