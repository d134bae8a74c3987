#include "common/account.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <vector>

namespace hermes {
namespace {

constexpr std::string_view kMagic = "HERMES-ACCOUNT/";
constexpr std::size_t kMaxLine = 4096;  // a passwd line is capped at that by init as well

bool clean_field(std::string_view field) {
  return field.find_first_of(std::string_view(":\n\0", 3)) == std::string_view::npos;
}

std::optional<unsigned> parse_id(std::string_view text) {
  if (text.empty() || text.size() > 10) return std::nullopt;
  if (!std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return std::nullopt;
  unsigned long long value = 0;
  std::from_chars(text.data(), text.data() + text.size(), value);
  if (value >= 0xffffffffULL) return std::nullopt;  // (uid_t)-1 is "no change" to the kernel
  return static_cast<unsigned>(value);
}

bool is_absolute_path(std::string_view path) { return !path.empty() && path.front() == '/'; }

}  // namespace

std::optional<std::string> format_account_line(const AccountLine& line) {
  const Account& a = line.account;
  for (std::string_view field : {std::string_view(a.name), std::string_view(a.home),
                                 std::string_view(a.shell), std::string_view(line.cwd)}) {
    if (!clean_field(field)) return std::nullopt;
  }
  if (line.init_protocol < 1 || line.init_protocol > kAccountProtocol) return std::nullopt;
  std::string out(kMagic);
  out += std::to_string(line.init_protocol) + " ";
  out += a.name + ":" + std::to_string(a.uid) + ":" + std::to_string(a.gid) + ":" + a.home + ":" +
         a.shell + ":" + line.cwd + "\n";
  if (out.size() > kMaxLine) return std::nullopt;
  return out;
}

std::optional<AccountLine> parse_account_line(std::string_view text) {
  if (text.ends_with('\n')) text.remove_suffix(1);
  // Measured with its newline, as the formatter measures: what parses always formats again.
  if (text.size() + 1 > kMaxLine || !text.starts_with(kMagic)) return std::nullopt;
  text.remove_prefix(kMagic.size());
  // One digit, then a space: the protocols this Hermes knows. A newer init still answers
  // what this Hermes understands (its fields are the same), as the highest it knows.
  if (text.size() < 2 || text[0] < '1' || text[0] > '9' || text[1] != ' ') return std::nullopt;
  const unsigned protocol = std::min<unsigned>(static_cast<unsigned>(text[0] - '0'), kAccountProtocol);
  text.remove_prefix(2);
  if (text.find('\n') != std::string_view::npos || text.find('\0') != std::string_view::npos)
    return std::nullopt;
  std::vector<std::string_view> fields;
  for (std::size_t start = 0;;) {
    const std::size_t colon = text.find(':', start);
    fields.push_back(text.substr(start, colon - start));
    if (colon == std::string_view::npos) break;
    start = colon + 1;
  }
  if (fields.size() != 6 || fields[0].empty()) return std::nullopt;
  const auto uid = parse_id(fields[1]);
  const auto gid = parse_id(fields[2]);
  if (!uid || !gid || !is_absolute_path(fields[5])) return std::nullopt;
  AccountLine line;
  line.account = Account{std::string(fields[0]), *uid, *gid, std::string(fields[3]),
                         std::string(fields[4])};
  line.cwd = std::string(fields[5]);
  line.init_protocol = protocol;
  return line;
}

}  // namespace hermes
