#include "app/recording_inventory.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <map>
#include <system_error>

#include "common/ids.hpp"

namespace hermes::app {
namespace {

namespace fs = std::filesystem;

bool is_recording_file(const std::string& name, std::string& session) {
  for (const char* suffix : {".cast", ".json"}) {
    const std::string_view ending(suffix);
    if (name.size() == 12 + ending.size() && name.ends_with(ending) && is_session_id(name.substr(0, 12))) {
      session = name.substr(0, 12);
      return true;
    }
  }
  return false;
}

}  // namespace

Clock::time_point modified_at(const struct stat& st) {
  const auto since_epoch = std::chrono::seconds(st.st_mtim.tv_sec) + std::chrono::nanoseconds(st.st_mtim.tv_nsec);
  return Clock::time_point(std::chrono::duration_cast<Clock::duration>(since_epoch));
}

Result<std::vector<StoredUnit>> scan_recordings(const std::string& dir) {
  std::error_code ec;
  fs::directory_iterator it(dir, ec);
  if (ec) return fail("cannot list recordings in " + dir + ": " + ec.message(), ec.value());
  std::map<std::string, StoredUnit> by_session;
  for (; it != fs::directory_iterator(); it.increment(ec)) {
    if (ec) return fail("cannot list recordings in " + dir + ": " + ec.message(), ec.value());
    std::string session;
    if (!is_recording_file(it->path().filename().string(), session)) continue;
    struct stat st {};
    // lstat: a symlink planted under one of our names is not a recording and is never followed.
    if (::lstat(it->path().c_str(), &st) != 0 || !S_ISREG(st.st_mode)) continue;
    auto& unit = by_session[session];
    unit.kind = "recording";
    unit.session = session;
    unit.paths.push_back(it->path().string());
    unit.bytes += static_cast<std::uint64_t>(st.st_size);
    unit.last_modified = std::max(unit.last_modified, modified_at(st));
  }
  std::vector<StoredUnit> out;
  out.reserve(by_session.size());
  for (auto& [session, unit] : by_session) out.push_back(std::move(unit));
  return out;
}

Result<void> remove_unit_files(const StoredUnit& unit) {
  for (const auto& path : unit.paths) {
    if (::unlink(path.c_str()) != 0 && errno != ENOENT) {
      const int err = errno;
      return fail("cannot remove " + path + ": " + std::system_category().message(err), err);
    }
  }
  return {};
}

}  // namespace hermes::app
