#pragma once
// `hermes image build --profile NAME`: builds a target image's root filesystem and imports it
// into Docker as hermes-target-<profile>:<tag>, with /sbin/init as its command. "minimal" is made
// in memory from the host's busybox; "debian" from a cached debootstrap (debian_image.hpp).
#include <boost/asio/awaitable.hpp>
#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "sandbox/docker_client.hpp"

namespace hermes::sandbox {

struct ImageBuildOptions {
  std::string init_path;  // empty: "hermes-init" beside the running executable
  std::string busybox_path = "/bin/busybox";
  std::function<void(std::string_view)> progress;  // one line per step; may be empty
  // The image is tagged hermes-target-<profile>:<tag>; another tag lets a developer build a
  // variant without replacing the image other work (or a running Hermes) uses.
  std::string tag = "latest";
  // Recipes (images/<profile>/) and the cache of slow build steps; empty: the defaults
  // (default_recipes_dir(), default_image_cache_dir()).
  std::string recipes_dir;
  std::string cache_dir;
};

std::vector<std::string> known_image_profiles();

// The static hermes-init installed next to the running hermes binary.
Result<std::string> default_init_path();

// images/ of the source tree hermes was built from (<build dir>/../images), else ./images.
std::string default_recipes_dir();

// Builds the rootfs (blocking work: reads files, runs busybox once) and imports it. Meant for the
// CLI; nothing else should run on the same thread meanwhile.
asio::awaitable<Result<void>> build_image(DockerClient& docker, std::string profile,
                                          ImageBuildOptions options);

// The CLI entry point: own io_context, progress and errors written to `out`; returns the exit
// code (0 on success).
int run_image_build(const std::string& profile, const std::string& tag,
                    const std::string& docker_socket_path,
                    const std::optional<std::string>& base_url, std::ostream& out);

}  // namespace hermes::sandbox
