// Sidecar JSON: conversion both ways and the atomic write.
#include "record/session_metadata.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <limits>
#include <nlohmann/json.hpp>
#include <system_error>

#include "common/time.hpp"
#include "record/iso8601_parse.hpp"
#include "common/unique_fd.hpp"

namespace hermes::record {
namespace {

constexpr std::size_t kMaxMetadataFile = 1 << 20;

std::string errno_text(int err) { return std::system_category().message(err); }

std::string to_text(const SessionMetadata& m) {
  using namespace std::chrono;
  nlohmann::ordered_json j;
  j["session"] = m.session;
  j["src_ip"] = m.src_ip;
  j["src_port"] = m.src_port;
  j["dst_ip"] = m.dst_ip;
  j["dst_port"] = m.dst_port;
  j["username"] = m.username;
  j["client_version"] = m.client_version;
  j["container_id"] = m.container_id;
  j["container_name"] = m.container_name;
  j["image"] = m.image;
  j["start"] = iso8601(m.start);
  j["end"] = iso8601(m.end);
  // Derived, for readers that do not want to parse timestamps; ignored when reading back.
  j["duration_ms"] = duration_cast<milliseconds>(m.end - m.start).count();
  j["exit_status"] = m.exit_status ? nlohmann::ordered_json(*m.exit_status) : nullptr;
  j["bytes_in"] = m.bytes_in;
  j["bytes_out"] = m.bytes_out;
  j["recording"] = m.recording;
  j["truncated"] = m.truncated;
  j["bytes_out_unrecorded"] = m.bytes_out_unrecorded;
  j["bytes_in_unrecorded"] = m.bytes_in_unrecorded;
  // username and client_version are attacker-chosen bytes: replace, never throw.
  return j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + '\n';
}

Result<void> write_all(int fd, std::string_view data, const std::string& path) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      const int err = errno;
      return fail("cannot write " + path + ": " + errno_text(err), err);
    }
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return {};
}

// Makes the rename itself durable; without it a crash can bring back the old directory entry.
Result<void> sync_parent_directory(const std::string& path) {
  const auto slash = path.rfind('/');
  const std::string dir = slash == std::string::npos ? "." : slash == 0 ? "/" : path.substr(0, slash);
  UniqueFd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fd || ::fsync(fd.get()) != 0) {
    const int err = errno;
    return fail("cannot sync directory " + dir + ": " + errno_text(err), err);
  }
  return {};
}

Result<std::string> read_bounded(const std::string& path) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) {
    const int err = errno;
    return fail("cannot open " + path + ": " + errno_text(err), err);
  }
  std::string text;
  char buf[16384];
  for (;;) {
    const ssize_t n = ::read(fd.get(), buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      const int err = errno;
      return fail("cannot read " + path + ": " + errno_text(err), err);
    }
    if (n == 0) break;
    text.append(buf, static_cast<std::size_t>(n));
    if (text.size() > kMaxMetadataFile) return fail(path + " is larger than 1 MiB");
  }
  return text;
}

// Typed lookups: each names the key and the file when the value is missing or of a wrong type.
class Fields {
 public:
  Fields(const nlohmann::json& j, const std::string& path) : j_(j), path_(path) {}

  Result<std::string> string(const char* key) const {
    const auto it = j_.find(key);
    if (it == j_.end() || !it->is_string()) return bad(key, "a string");
    return it->get<std::string>();
  }
  Result<int> integer(const char* key) const {
    const auto it = j_.find(key);
    if (it == j_.end() || !it->is_number_integer()) return bad(key, "an integer");
    const auto v = it->get<int64_t>();
    if (v < std::numeric_limits<int>::min() || v > std::numeric_limits<int>::max()) {
      return bad(key, "an integer in range");
    }
    return static_cast<int>(v);
  }
  Result<uint64_t> count(const char* key) const {
    const auto it = j_.find(key);
    if (it == j_.end() || !it->is_number_unsigned()) return bad(key, "a non-negative integer");
    return it->get<uint64_t>();
  }
  // Fields added after the first release: absent in older files, which read as the default.
  Result<bool> flag_or(const char* key, bool fallback) const {
    const auto it = j_.find(key);
    if (it == j_.end()) return fallback;
    if (!it->is_boolean()) return bad(key, "a boolean");
    return it->get<bool>();
  }
  Result<uint64_t> count_or(const char* key, uint64_t fallback) const {
    if (!j_.contains(key)) return fallback;
    return count(key);
  }
  Result<std::chrono::system_clock::time_point> time(const char* key) const {
    auto text = string(key);
    if (!text) return std::unexpected(text.error());
    const auto t = parse_iso8601(*text);
    if (!t) return bad(key, "an ISO 8601 UTC time");
    return *t;
  }
  Result<std::optional<int>> optional_int(const char* key) const {
    const auto it = j_.find(key);
    if (it != j_.end() && it->is_null()) return std::optional<int>{};
    auto v = integer(key);
    if (!v) return bad(key, "an integer or null");
    return std::optional<int>{*v};
  }

 private:
  std::unexpected<Error> bad(const char* key, const char* what) const {
    return fail(path_ + ": key \"" + key + "\" must be " + what);
  }
  const nlohmann::json& j_;
  const std::string& path_;
};

// Assigns *result to target or returns its error from the enclosing function.
#define HERMES_ASSIGN_OR_RETURN(target, expr) \
  do {                                        \
    auto _r = (expr);                         \
    if (!_r) return std::unexpected(_r.error()); \
    target = std::move(*_r);                  \
  } while (0)

Result<SessionMetadata> from_json(const nlohmann::json& j, const std::string& path) {
  if (!j.is_object()) return fail(path + ": not a JSON object");
  const Fields f(j, path);
  SessionMetadata m;
  HERMES_ASSIGN_OR_RETURN(m.session, f.string("session"));
  HERMES_ASSIGN_OR_RETURN(m.src_ip, f.string("src_ip"));
  HERMES_ASSIGN_OR_RETURN(m.src_port, f.integer("src_port"));
  HERMES_ASSIGN_OR_RETURN(m.dst_ip, f.string("dst_ip"));
  HERMES_ASSIGN_OR_RETURN(m.dst_port, f.integer("dst_port"));
  HERMES_ASSIGN_OR_RETURN(m.username, f.string("username"));
  HERMES_ASSIGN_OR_RETURN(m.client_version, f.string("client_version"));
  HERMES_ASSIGN_OR_RETURN(m.container_id, f.string("container_id"));
  HERMES_ASSIGN_OR_RETURN(m.container_name, f.string("container_name"));
  HERMES_ASSIGN_OR_RETURN(m.image, f.string("image"));
  HERMES_ASSIGN_OR_RETURN(m.start, f.time("start"));
  HERMES_ASSIGN_OR_RETURN(m.end, f.time("end"));
  HERMES_ASSIGN_OR_RETURN(m.exit_status, f.optional_int("exit_status"));
  HERMES_ASSIGN_OR_RETURN(m.bytes_in, f.count("bytes_in"));
  HERMES_ASSIGN_OR_RETURN(m.bytes_out, f.count("bytes_out"));
  HERMES_ASSIGN_OR_RETURN(m.recording, f.string("recording"));
  HERMES_ASSIGN_OR_RETURN(m.truncated, f.flag_or("truncated", false));
  HERMES_ASSIGN_OR_RETURN(m.bytes_out_unrecorded, f.count_or("bytes_out_unrecorded", 0));
  HERMES_ASSIGN_OR_RETURN(m.bytes_in_unrecorded, f.count_or("bytes_in_unrecorded", 0));
  return m;
}

#undef HERMES_ASSIGN_OR_RETURN

}  // namespace

Result<void> write_session_metadata(const std::string& path, const SessionMetadata& metadata) {
  const std::string tmp = path + ".tmp";
  UniqueFd fd(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0640));
  if (!fd) {
    const int err = errno;
    return fail("cannot create " + tmp + ": " + errno_text(err), err);
  }
  auto result = write_all(fd.get(), to_text(metadata), tmp);
  if (result && ::fsync(fd.get()) != 0) {
    const int err = errno;
    result = fail("cannot sync " + tmp + ": " + errno_text(err), err);
  }
  if (result && fd.close_checked() != 0) {
    const int err = errno;
    result = fail("cannot close " + tmp + ": " + errno_text(err), err);
  }
  if (result && ::rename(tmp.c_str(), path.c_str()) != 0) {
    const int err = errno;
    result = fail("cannot rename " + tmp + " to " + path + ": " + errno_text(err), err);
  }
  if (!result) {
    ::unlink(tmp.c_str());  // leave no stray .tmp behind a failed write
    return result;
  }
  return sync_parent_directory(path);
}

Result<SessionMetadata> read_session_metadata(const std::string& path) {
  auto text = read_bounded(path);
  if (!text) return std::unexpected(text.error());
  const auto j = nlohmann::json::parse(*text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return fail(path + ": not valid JSON");
  return from_json(j, path);
}

}  // namespace hermes::record
