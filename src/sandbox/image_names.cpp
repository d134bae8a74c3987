#include "sandbox/image_names.hpp"

namespace hermes::sandbox {

std::string image_repository_for_profile(std::string_view profile) {
  return std::string(kTargetImagePrefix) + std::string(profile);
}

std::string image_for_profile(std::string_view profile, std::string_view tag) {
  return image_repository_for_profile(profile) + ":" + std::string(tag);
}

std::optional<std::string> profile_of_image(std::string_view image) {
  if (!image.starts_with(kTargetImagePrefix)) return std::nullopt;
  image.remove_prefix(kTargetImagePrefix.size());
  if (const auto colon = image.find(':'); colon != std::string_view::npos) image = image.substr(0, colon);
  if (image.empty() || image.find('/') != std::string_view::npos) return std::nullopt;
  return std::string(image);
}

}  // namespace hermes::sandbox
