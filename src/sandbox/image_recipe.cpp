#include "sandbox/image_recipe.hpp"

#include <algorithm>
#include <charconv>
#include <set>

namespace hermes::sandbox {
namespace {

constexpr std::size_t kMaxPackages = 2000;
constexpr std::size_t kMaxRules = 5000;
constexpr std::size_t kMaxLine = 1024;
constexpr std::int64_t kMaxAge = 10LL * 366 * 86400;

// Splits text into lines, strips '#' comments and surrounding blanks, and calls `take` with the
// 1-based line number of every non-empty line.
template <class Take>
Result<void> for_each_line(std::string_view text, Take&& take) {
  std::size_t number = 0;
  for (std::size_t pos = 0; pos < text.size();) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    ++number;
    if (line.size() > kMaxLine) return fail("line " + std::to_string(number) + " is longer than 1024 bytes");
    line = line.substr(0, line.find('#'));
    while (!line.empty() && (line.back() == ' ' || line.back() == '\t' || line.back() == '\r')) line.remove_suffix(1);
    while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
    if (line.empty()) continue;
    if (auto ok = take(number, line); !ok) return ok;
  }
  return {};
}

std::vector<std::string_view> words(std::string_view line) {
  std::vector<std::string_view> out;
  for (std::size_t pos = 0; pos < line.size();) {
    const std::size_t start = line.find_first_not_of(" \t", pos);
    if (start == std::string_view::npos) break;
    std::size_t end = line.find_first_of(" \t", start);
    if (end == std::string_view::npos) end = line.size();
    out.push_back(line.substr(start, end - start));
    pos = end;
  }
  return out;
}

// Debian policy 5.6.1: lower case letters, digits, '+', '-', '.'; at least two characters,
// starting with a letter or digit. An architecture qualifier (":amd64") is not accepted.
bool is_package_name(std::string_view name) {
  if (name.size() < 2 || name.size() > 100) return false;
  const auto allowed = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.';
  };
  return std::isalnum(static_cast<unsigned char>(name.front())) && std::all_of(name.begin(), name.end(), allowed);
}

bool is_account_name(std::string_view name) {
  if (name.empty() || name.size() > 32 || name.front() == '-') return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-' || c == '.';
  });
}

std::optional<unsigned> number(std::string_view text, int base, unsigned max) {
  unsigned value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value, base);
  if (ec != std::errc() || end != text.data() + text.size() || value > max) return std::nullopt;
  return value;
}

// An absolute path of plain components: no "..", ".", empty parts, or odd bytes.
Result<std::string> manifest_path(std::string_view text) {
  if (text.size() < 2 || text.front() != '/') return fail("path must be absolute: '" + std::string(text) + "'");
  std::string out;
  std::size_t pos = 1;
  while (pos <= text.size()) {
    std::size_t slash = text.find('/', pos);
    if (slash == std::string_view::npos) slash = text.size();
    const std::string_view part = text.substr(pos, slash - pos);
    if (part.empty() || part == "." || part == "..") {
      return fail("path '" + std::string(text) + "' has an empty, '.' or '..' part");
    }
    if (std::any_of(part.begin(), part.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20; })) {
      return fail("path has control characters");
    }
    if (!out.empty()) out += '/';
    out.append(part);
    pos = slash + 1;
  }
  return out;
}

Result<OverlayRule> parse_rule(std::string_view line) {
  const auto parts = words(line);
  if (parts.size() != 4) return fail("expected 'PATH OWNER:GROUP MODE AGE'");
  OverlayRule rule;
  auto path = manifest_path(parts[0]);
  if (!path) return std::unexpected(path.error());
  rule.path = std::move(*path);
  const std::size_t colon = parts[1].find(':');
  if (colon == std::string_view::npos) return fail("owner must be OWNER:GROUP");
  rule.owner = std::string(parts[1].substr(0, colon));
  rule.group = std::string(parts[1].substr(colon + 1));
  if (!is_account_name(rule.owner) || !is_account_name(rule.group)) {
    return fail("'" + std::string(parts[1]) + "' is not OWNER:GROUP (names or numbers)");
  }
  if (parts[2] != "-") {
    rule.mode = number(parts[2], 8, 07777);
    if (!rule.mode) return fail("mode '" + std::string(parts[2]) + "' is not octal 0000-7777");
  }
  if (parts[3] != "-") {
    auto age = parse_age(parts[3]);
    if (!age) return std::unexpected(age.error());
    rule.age = *age;
  }
  return rule;
}

}  // namespace

Result<std::vector<std::string>> parse_package_list(std::string_view text) {
  std::set<std::string> names;
  auto parsed = for_each_line(text, [&](std::size_t number, std::string_view line) -> Result<void> {
    for (const auto word : words(line)) {
      if (!is_package_name(word)) {
        return fail("packages line " + std::to_string(number) + ": '" + std::string(word.substr(0, 100)) +
                    "' is not a Debian package name");
      }
      names.emplace(word);
      if (names.size() > kMaxPackages) return fail("more than 2000 packages listed");
    }
    return {};
  });
  if (!parsed) return std::unexpected(parsed.error());
  if (names.empty()) return fail("the package list names no package");
  return std::vector<std::string>(names.begin(), names.end());
}

Result<std::int64_t> parse_age(std::string_view text) {
  if (text.size() < 2) return fail("age '" + std::string(text) + "' is not like 30m, 5h or 12d");
  const char unit = text.back();
  const std::int64_t scale = unit == 's' ? 1 : unit == 'm' ? 60 : unit == 'h' ? 3600 : unit == 'd' ? 86400 : 0;
  const auto count = number(text.substr(0, text.size() - 1), 10, 1u << 30);
  if (scale == 0 || !count || static_cast<std::int64_t>(*count) * scale > kMaxAge) {
    return fail("age '" + std::string(text.substr(0, 40)) + "' is not like 30m, 5h or 12d (at most ten years)");
  }
  return static_cast<std::int64_t>(*count) * scale;
}

Result<std::vector<OverlayRule>> parse_overlay_manifest(std::string_view text) {
  std::vector<OverlayRule> rules;
  std::set<std::string> seen;
  auto parsed = for_each_line(text, [&](std::size_t number, std::string_view line) -> Result<void> {
    auto rule = parse_rule(line);
    const std::string where = "overlay.manifest line " + std::to_string(number) + ": ";
    if (!rule) return fail(where + rule.error().message);
    if (!seen.insert(rule->path).second) return fail(where + "/" + rule->path + " is listed twice");
    if (rules.size() >= kMaxRules) return fail(where + "more than 5000 entries");
    rules.push_back(std::move(*rule));
    return {};
  });
  if (!parsed) return std::unexpected(parsed.error());
  return rules;
}

std::map<std::string, unsigned> parse_account_ids(std::string_view text) {
  std::map<std::string, unsigned> ids;
  auto ignored = for_each_line(text, [&](std::size_t, std::string_view line) -> Result<void> {
    const std::size_t first = line.find(':');
    const std::size_t second = first == std::string_view::npos ? first : line.find(':', first + 1);
    if (second == std::string_view::npos) return {};
    const std::size_t third = line.find(':', second + 1);
    const auto id = number(line.substr(second + 1, third - second - 1), 10, 0xFFFFFFFEu);
    const std::string_view name = line.substr(0, first);
    if (id && is_account_name(name)) ids.emplace(name, *id);  // the first entry of a name wins
    return {};
  });
  (void)ignored;  // over-long lines end the table early; what was read stays usable
  return ids;
}

Result<unsigned> resolve_account(const std::string& name_or_id, const std::map<std::string, unsigned>& ids,
                                 std::string_view what) {
  if (const auto id = number(name_or_id, 10, 07777777)) return *id;
  const auto found = ids.find(name_or_id);
  if (found == ids.end()) {
    return fail("unknown " + std::string(what) + " '" + name_or_id + "' (not in the image's /etc/" +
                (what == "group" ? "group" : "passwd") + ")");
  }
  return found->second;
}

}  // namespace hermes::sandbox
