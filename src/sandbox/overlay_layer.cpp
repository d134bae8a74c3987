#include "sandbox/overlay_layer.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <set>

namespace hermes::sandbox {
namespace {

namespace fs = std::filesystem;

constexpr std::uintmax_t kMaxOverlayFile = 16 * 1024 * 1024;
constexpr std::uintmax_t kMaxOverlayTotal = 128 * 1024 * 1024;
constexpr std::size_t kMaxOverlayEntries = 20000;
constexpr int kMaxSymlinkHops = 40;

std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> parts;
  std::size_t pos = 0;
  while (pos <= path.size()) {
    std::size_t slash = path.find('/', pos);
    if (slash == std::string::npos) slash = path.size();
    if (slash > pos) parts.push_back(path.substr(pos, slash - pos));
    pos = slash + 1;
  }
  return parts;
}

std::string join_path(const std::vector<std::string>& parts) {
  std::string out;
  for (const auto& part : parts) out += (out.empty() ? "" : "/") + part;
  return out;
}

Result<std::string> read_small_file(const fs::path& path, std::uintmax_t size) {
  if (size > kMaxOverlayFile) return fail(path.string() + " is larger than 16 MiB");
  std::ifstream in(path, std::ios::binary);
  std::string content(static_cast<std::size_t>(size), '\0');
  if (!in.read(content.data(), static_cast<std::streamsize>(size))) return fail("cannot read " + path.string());
  return content;
}

struct Owners {
  std::map<std::string, unsigned> users, groups;
};

Result<TarAttributes> attributes_for(const OverlayRule* rule, unsigned own_mode, const OverlayInputs& in,
                                     const Owners& owners) {
  TarAttributes attributes{.mode = own_mode, .uid = 0, .gid = 0, .mtime = in.install_time};
  if (!rule) return attributes;
  const std::string where = "overlay.manifest /" + rule->path + ": ";
  auto uid = resolve_account(rule->owner, owners.users, "user");
  if (!uid) return fail(where + uid.error().message);
  auto gid = resolve_account(rule->group, owners.groups, "group");
  if (!gid) return fail(where + gid.error().message);
  attributes.uid = *uid;
  attributes.gid = *gid;
  if (rule->mode) attributes.mode = *rule->mode;
  if (rule->age) attributes.mtime = in.now - *rule->age;
  return attributes;
}

}  // namespace

Result<std::string> resolve_in_base(const std::string& path, const TarListing& base) {
  std::vector<std::string> pending = split_path(path);
  std::vector<std::string> resolved;
  int hops = 0;
  // Walks component by component; a symlinked directory is replaced by its target's parts.
  std::reverse(pending.begin(), pending.end());
  while (!pending.empty()) {
    std::string part = std::move(pending.back());
    pending.pop_back();
    if (part == ".") continue;
    if (part == "..") {
      if (!resolved.empty()) resolved.pop_back();
      continue;
    }
    resolved.push_back(part);
    if (pending.empty()) break;  // the last component itself is replaced, not followed
    const auto link = base.symlinks.find(join_path(resolved));
    if (link == base.symlinks.end()) continue;
    if (++hops > kMaxSymlinkHops) return fail("too many symlinks on the way to /" + path + " in the base");
    resolved.pop_back();
    if (!link->second.empty() && link->second.front() == '/') resolved.clear();
    auto target = split_path(link->second);
    for (auto it = target.rbegin(); it != target.rend(); ++it) pending.push_back(*it);
  }
  if (resolved.empty()) return fail("/" + path + " resolves to the root directory in the base");
  return join_path(resolved);
}

Result<std::size_t> append_overlay(TarWriter& tar, const OverlayInputs& in) {
  if (!in.base) return fail("append_overlay needs the base listing");
  std::map<std::string, const OverlayRule*> rules;
  for (const auto& rule : in.rules) rules.emplace(rule.path, &rule);
  std::error_code ec;
  if (!fs::exists(in.overlay_dir, ec)) {
    if (!rules.empty()) return fail("overlay.manifest names files but " + in.overlay_dir.string() + " is missing");
    return 0;
  }
  Owners owners;
  const auto passwd = in.base->captured.find("etc/passwd");
  const auto group = in.base->captured.find("etc/group");
  if (passwd != in.base->captured.end()) owners.users = parse_account_ids(passwd->second);
  if (group != in.base->captured.end()) owners.groups = parse_account_ids(group->second);

  // Sorted, so a directory's entry precedes its contents and builds are reproducible.
  std::set<std::string> paths;
  for (auto it = fs::recursive_directory_iterator(in.overlay_dir, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    paths.insert(it->path().lexically_relative(in.overlay_dir).generic_string());
    if (paths.size() > kMaxOverlayEntries) return fail(in.overlay_dir.string() + " has more than 20000 entries");
  }
  if (ec) return fail("cannot list " + in.overlay_dir.string() + ": " + ec.message());
  for (const auto& [path, rule] : rules) {
    if (!paths.contains(path)) return fail("overlay.manifest names /" + path + ", which is not in " + in.overlay_dir.string());
  }

  std::size_t added = 0;
  std::uintmax_t total = 0;
  for (const auto& path : paths) {
    const fs::path source = in.overlay_dir / path;
    struct stat info{};
    if (lstat(source.c_str(), &info) != 0) return fail("cannot stat " + source.string());
    const auto found = rules.find(path);
    const OverlayRule* rule = found == rules.end() ? nullptr : found->second;
    auto target = resolve_in_base(path, *in.base);
    if (!target) return std::unexpected(target.error());
    const unsigned own_mode = static_cast<unsigned>(info.st_mode) & 07777;
    Result<void> written;
    if (S_ISDIR(info.st_mode)) {
      // An existing directory keeps the base's owner and mode (e.g. /home/admin), unless named.
      if (!rule && in.base->directories.contains(*target)) continue;
      auto attributes = attributes_for(rule, rule ? own_mode : 0755, in, owners);
      if (!attributes) return std::unexpected(attributes.error());
      written = tar.add_directory(*target, *attributes);
    } else if (S_ISREG(info.st_mode)) {
      total += static_cast<std::uintmax_t>(info.st_size);
      if (total > kMaxOverlayTotal) return fail(in.overlay_dir.string() + " holds more than 128 MiB");
      auto content = read_small_file(source, static_cast<std::uintmax_t>(info.st_size));
      if (!content) return std::unexpected(content.error());
      auto attributes = attributes_for(rule, own_mode, in, owners);
      if (!attributes) return std::unexpected(attributes.error());
      written = tar.add_file(*target, *content, *attributes);
    } else if (S_ISLNK(info.st_mode)) {
      const auto link = fs::read_symlink(source, ec);
      if (ec) return fail("cannot read the symlink " + source.string());
      auto attributes = attributes_for(rule, 0777, in, owners);
      if (!attributes) return std::unexpected(attributes.error());
      written = tar.add_symlink(*target, link.string(), *attributes);
    } else {
      return fail(source.string() + " is neither a file, a directory nor a symlink");
    }
    if (!written) return fail("overlay /" + path + ": " + written.error().message);
    ++added;
  }
  return added;
}

}  // namespace hermes::sandbox
