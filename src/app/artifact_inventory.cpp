#include "app/artifact_inventory.hpp"

#include <sys/stat.h>

#include <filesystem>
#include <system_error>

#include "app/recording_inventory.hpp"
#include "record/artifact_store.hpp"

namespace hermes::app {

namespace fs = std::filesystem;

Result<std::vector<StoredUnit>> scan_artifacts(const std::string& dir) {
  std::vector<StoredUnit> out;
  std::error_code ec;
  fs::directory_iterator it(dir, ec);
  if (ec == std::errc::no_such_file_or_directory) return out;
  if (ec) return fail("cannot list artifacts in " + dir + ": " + ec.message(), ec.value());
  for (; it != fs::directory_iterator(); it.increment(ec)) {
    if (ec) return fail("cannot list artifacts in " + dir + ": " + ec.message(), ec.value());
    const std::string name = it->path().filename().string();
    if (!record::is_artifact_name(name)) continue;
    struct stat st {};
    if (::lstat(it->path().c_str(), &st) != 0 || !S_ISREG(st.st_mode)) continue;
    StoredUnit unit;
    unit.kind = kArtifactUnit;
    unit.session = "";  // shared by every session that left these bytes: never "active"
    unit.paths.push_back(it->path().string());
    unit.bytes = static_cast<std::uint64_t>(st.st_size);
    unit.last_modified = modified_at(st);
    out.push_back(std::move(unit));
  }
  return out;
}

}  // namespace hermes::app
