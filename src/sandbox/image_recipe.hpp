#pragma once
// The text files of an image recipe (images/<profile>/): the package list and the overlay
// manifest, plus the account tables of a rootfs that resolve the manifest's owner names.
// All of them are parsed as untrusted text: bounded, every odd line an error naming its number.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"

namespace hermes::sandbox {

// images/<profile>/packages: one Debian package name per line, '#' comments, blank lines.
// Returns the names sorted and de-duplicated (the order of the file does not matter to apt).
Result<std::vector<std::string>> parse_package_list(std::string_view text);

// One line of images/<profile>/overlay.manifest: "PATH OWNER:GROUP MODE AGE".
struct OverlayRule {
  std::string path;   // normalized, without the leading '/': "home/admin/.bash_history"
  std::string owner;  // a name or a number
  std::string group;
  std::optional<unsigned> mode;          // '-' keeps the file's own
  std::optional<std::int64_t> age;       // seconds before the build; '-' is the install time
};
Result<std::vector<OverlayRule>> parse_overlay_manifest(std::string_view text);

// "30m", "5h", "12d", "90s" -> seconds (at most ten years).
Result<std::int64_t> parse_age(std::string_view text);

// name -> id from an /etc/passwd or /etc/group text (the third field); malformed lines skipped.
std::map<std::string, unsigned> parse_account_ids(std::string_view text);

// A manifest owner or group: a number, or a name looked up in `ids`.
Result<unsigned> resolve_account(const std::string& name_or_id, const std::map<std::string, unsigned>& ids,
                                 std::string_view what);

}  // namespace hermes::sandbox
