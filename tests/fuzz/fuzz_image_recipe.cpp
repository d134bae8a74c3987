// An image recipe's text files (images/<profile>/packages, overlay.manifest) and the image's own
// /etc/passwd and /etc/group are parsed by `hermes image build`; none may crash it, and what the
// parsers accept must keep their promises:
//   - package names are sorted, unique, and made of [a-z0-9+.-] only (nothing apt could read as
//     an option or a path);
//   - manifest paths are relative, without '.', '..' or empty parts; modes fit 07777; ages are
//     at most ten years.
// The input is used three ways: as a package list, as a manifest, and as an account table.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "sandbox/image_recipe.hpp"

namespace {

void require(bool condition) {
  if (!condition) std::abort();
}

void check_packages(std::string_view text) {
  auto names = hermes::sandbox::parse_package_list(text);
  if (!names) return;
  require(!names->empty());
  for (std::size_t i = 0; i < names->size(); ++i) {
    const std::string& name = (*names)[i];
    require(name.size() >= 2 && name.front() != '-' && name.front() != '.' && name.front() != '+');
    require(name.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789+-.") == std::string::npos);
    if (i > 0) require((*names)[i - 1] < name);
  }
}

void check_manifest(std::string_view text) {
  auto rules = hermes::sandbox::parse_overlay_manifest(text);
  if (!rules) return;
  for (const auto& rule : *rules) {
    require(!rule.path.empty() && rule.path.front() != '/' && rule.path.back() != '/');
    require(rule.path.find("//") == std::string::npos);
    require(("/" + rule.path + "/").find("/../") == std::string::npos);
    require(("/" + rule.path + "/").find("/./") == std::string::npos);
    require(!rule.owner.empty() && !rule.group.empty());
    require(rule.owner.find(':') == std::string::npos && rule.group.find(':') == std::string::npos);
    if (rule.mode) require(*rule.mode <= 07777);
    if (rule.age) require(*rule.age >= 0 && *rule.age <= 10LL * 366 * 86400);
  }
}

void check_accounts(std::string_view text) {
  const auto ids = hermes::sandbox::parse_account_ids(text);
  for (const auto& [name, id] : ids) {
    require(!name.empty() && name.find(':') == std::string::npos && name.find('\n') == std::string::npos);
    auto resolved = hermes::sandbox::resolve_account(name, ids, "user");
    // A name that is all digits resolves as a number; any other resolves to its own id.
    if (resolved && name.find_first_not_of("0123456789") != std::string::npos) require(*resolved == id);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  check_packages(input);
  check_manifest(input);
  check_accounts(input);
  return 0;
}
