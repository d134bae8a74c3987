#pragma once
// For tests that check archives with the real tools (GNU tar, ssh-keygen): a scratch directory
// removed at the end of the test, and a shell command's output.
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <string>

namespace hermes::sandbox::testing {

struct TempDir {
  std::filesystem::path path;
  explicit TempDir(const std::string& prefix = "hermes_test") {
    std::string tmpl = (std::filesystem::temp_directory_path() / (prefix + ".XXXXXX")).string();
    path = mkdtemp(tmpl.data());
  }
  ~TempDir() { std::filesystem::remove_all(path); }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
};

// stdout of `sh -c command` (empty if it could not be started).
inline std::string run_command(const std::string& command) {
  std::string out;
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) return out;
  char buf[4096];
  std::size_t n;
  while ((n = fread(buf, 1, sizeof buf, pipe)) > 0) out.append(buf, n);
  pclose(pipe);
  return out;
}

}  // namespace hermes::sandbox::testing
