#include "sandbox/image_builder.hpp"

#include <unistd.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <ctime>
#include <exception>
#include <filesystem>

#include "sandbox/debian_base.hpp"
#include "sandbox/debian_image.hpp"
#include "sandbox/image_names.hpp"
#include "sandbox/minimal_rootfs.hpp"

namespace hermes::sandbox {
namespace {

constexpr std::string_view kImageCommand = "CMD [\"/sbin/init\"]";
constexpr std::string_view kImagePath =
    "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

Result<std::string> rootfs_for_profile(const std::string& profile, const ImageBuildOptions& options,
                                       const std::string& init_path) {
  if (profile == "minimal") {
    MinimalRootfsInputs inputs;
    inputs.busybox_path = options.busybox_path;
    inputs.init_path = init_path;
    inputs.mtime = std::time(nullptr);
    inputs.progress = options.progress;
    return build_minimal_rootfs(inputs);
  }
  return fail("unknown image profile '" + profile + "'; known profiles: " +
              join(known_image_profiles()));
}

// Built before any co_await: GCC 12 miscompiles braced lists inside a co_await expression.
std::vector<std::string> image_changes() {
  std::vector<std::string> changes;
  changes.emplace_back(kImageCommand);
  changes.emplace_back(kImagePath);
  return changes;
}

asio::awaitable<Result<void>> import_debian(DockerClient& docker, const ImageBuildOptions& options,
                                            const std::string& init_path) {
  DebianImageInputs inputs;
  const std::string recipes = options.recipes_dir.empty() ? default_recipes_dir() : options.recipes_dir;
  inputs.recipe_dir = std::filesystem::path(recipes) / "debian";
  inputs.cache_dir = options.cache_dir.empty() ? default_image_cache_dir() : std::filesystem::path(options.cache_dir);
  inputs.init_path = init_path;
  inputs.now = std::time(nullptr);
  inputs.progress = options.progress;
  auto parts = prepare_debian_image(inputs);
  if (!parts) co_return std::unexpected(parts.error());
  if (options.progress) {
    options.progress("importing " + std::to_string((parts->base_bytes + parts->tail.size()) >> 20) +
                     " MiB into Docker (streamed from " + parts->base_tar + ")");
  }
  auto changes = image_changes();
  co_return co_await docker.import_image_file(parts->base_tar, std::move(parts->base_ranges), std::move(parts->tail),
                                              image_repository_for_profile("debian"), options.tag,
                                              std::move(changes));
}

}  // namespace

std::vector<std::string> known_image_profiles() { return {"minimal", "debian"}; }

std::string default_recipes_dir() {
  std::error_code ec;
  const auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    const auto beside_build = self.parent_path().parent_path() / "images";
    if (std::filesystem::is_directory(beside_build, ec)) return beside_build.string();
  }
  return "images";
}

Result<std::string> default_init_path() {
  std::error_code ec;
  const auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return fail("cannot locate the running executable: " + ec.message());
  const auto init = self.parent_path() / "hermes-init";
  if (access(init.c_str(), R_OK) != 0) {
    return fail("hermes-init not found at " + init.string() +
                " (it is built next to hermes: cmake --build <dir> --target hermes-init)");
  }
  return init.string();
}

asio::awaitable<Result<void>> build_image(DockerClient& docker, std::string profile,
                                          ImageBuildOptions options) {
  auto say = [&](const std::string& line) {
    if (options.progress) options.progress(line);
  };
  const auto known = known_image_profiles();
  if (std::find(known.begin(), known.end(), profile) == known.end()) {
    co_return fail("unknown image profile '" + profile + "'; known profiles: " + join(known));
  }
  std::string init_path = options.init_path;
  if (init_path.empty()) {
    auto found = default_init_path();
    if (!found) co_return std::unexpected(found.error());
    init_path = *found;
  }
  const std::string image = image_for_profile(profile, options.tag);
  say("building the " + profile + " root filesystem (init: " + init_path + ")");
  Result<void> imported;
  if (profile == "debian") {
    imported = co_await import_debian(docker, options, init_path);
  } else {
    auto rootfs = rootfs_for_profile(profile, options, init_path);
    if (!rootfs) co_return std::unexpected(rootfs.error());
    say("importing " + std::to_string(rootfs->size() / 1024) + " KiB into Docker as " + image);
    auto changes = image_changes();
    imported = co_await docker.import_image(std::move(*rootfs), image_repository_for_profile(profile),
                                            options.tag, std::move(changes));
  }
  if (!imported) co_return fail("importing " + image + " failed: " + imported.error().message);
  auto exists = co_await docker.image_exists(image);
  if (!exists) co_return std::unexpected(exists.error());
  if (!*exists) co_return fail("Docker accepted the import but " + image + " does not exist");
  say("built " + image);
  co_return Result<void>{};
}

int run_image_build(const std::string& profile, const std::string& tag,
                    const std::string& docker_socket_path,
                    const std::optional<std::string>& base_url, std::ostream& out) {
  auto endpoint = DockerEndpoint::from_config(docker_socket_path, base_url);
  if (!endpoint) {
    out << "error: " << endpoint.error().message << "\n";
    return 1;
  }
  asio::io_context io;
  DockerClient docker(io.get_executor(), *endpoint);
  ImageBuildOptions options;
  options.progress = [&out](std::string_view line) { out << "image: " << line << std::endl; };
  options.tag = tag;

  Result<void> outcome = fail("image build did not finish");
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<Result<void>> {
        auto version = co_await docker.ping();
        if (!version) {
          co_return fail("no Docker engine answers at " + endpoint->describe() + ": " +
                         version.error().message);
        }
        co_return co_await build_image(docker, profile, options);
      },
      [&](std::exception_ptr error, Result<void> result) {
        if (error) {
          try {
            std::rethrow_exception(error);
          } catch (const std::exception& e) {
            outcome = fail(std::string("image build failed: ") + e.what());
          } catch (...) {
            outcome = fail("image build failed with an unknown exception");
          }
          return;
        }
        outcome = std::move(result);
      });
  io.run();
  if (!outcome) {
    out << "error: " << outcome.error().message << "\n";
    return 1;
  }
  return 0;
}

}  // namespace hermes::sandbox
