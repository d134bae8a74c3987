#pragma once
// How target image profiles map to Docker image names: profile "minimal" is built as
// hermes-target-minimal:latest. Shared by the image builder and the pool's error messages.
#include <optional>
#include <string>
#include <string_view>

namespace hermes::sandbox {

inline constexpr std::string_view kTargetImagePrefix = "hermes-target-";

std::string image_repository_for_profile(std::string_view profile);  // hermes-target-<profile>
// hermes-target-<profile>:<tag>
std::string image_for_profile(std::string_view profile, std::string_view tag = "latest");
// The profile of a "hermes-target-<profile>[:tag]" image name, if it is one.
std::optional<std::string> profile_of_image(std::string_view image);

}  // namespace hermes::sandbox
