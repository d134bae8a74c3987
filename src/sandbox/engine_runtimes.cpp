#include "sandbox/engine_runtimes.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "sandbox/docker_responses.hpp"

namespace hermes::sandbox {
namespace {

// An engine lists a handful of runtimes; more than this is not an answer we believe.
constexpr std::size_t kMaxRuntimes = 64;

std::string join(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& name : names) out += (out.empty() ? "" : ", ") + name;
  return out.empty() ? "none" : out;
}

}  // namespace

Result<std::vector<std::string>> parse_runtime_names(std::string_view info_body) {
  auto info = parse_json_body(info_body, "engine info");
  if (!info) return std::unexpected(std::move(info.error()));
  const auto runtimes = info->is_object() ? info->find("Runtimes") : info->end();
  if (!info->is_object() || runtimes == info->end() || !runtimes->is_object()) {
    return fail("Docker engine info has no Runtimes object");
  }
  if (runtimes->size() > kMaxRuntimes) return fail("Docker engine info lists too many runtimes");
  std::vector<std::string> names;
  for (const auto& [name, details] : runtimes->items()) names.push_back(sanitize_engine_text(name, 64));
  std::sort(names.begin(), names.end());
  return names;
}

Result<void> require_runtime(std::string_view wanted, const std::vector<std::string>& offered) {
  if (wanted.empty() || std::find(offered.begin(), offered.end(), wanted) != offered.end()) return {};
  const std::string name(wanted);
  std::string message = "container_pool.security.runtime is '" + name +
                        "' but the Docker engine has no runtime of that name (it offers: " +
                        join(offered) + "). Register it in /etc/docker/daemon.json, e.g. ";
  if (name == "runsc") {
    // Without --network=none runsc refuses NetworkMode none containers.
    message += R"({"runtimes":{"runsc":{"path":"/usr/bin/runsc","runtimeArgs":["--network=none"]}}})"
               " after `apt-get install runsc`";
  } else {
    message += R"({"runtimes":{")" + name + R"(":{"path":"/path/to/)" + name + R"("}}})";
  }
  message += ", then reload dockerd with SIGHUP (scripts/setup.sh does this for runsc)";
  return fail(message);
}

}  // namespace hermes::sandbox
