#include "sandbox/profile_choice.hpp"

#include <algorithm>
#include <numeric>

namespace hermes::sandbox {
namespace {

std::uint64_t weight_of(const config::ImageProfile& profile) {
  return static_cast<std::uint64_t>(std::max(1, profile.weight));
}

std::uint64_t total_weight(const std::vector<config::ImageProfile>& profiles) {
  std::uint64_t total = 0;
  for (const auto& profile : profiles) total += weight_of(profile);
  return total;
}

// Profile indices ordered by `key` descending; std::stable_sort keeps earlier profiles first.
template <class Key>
std::vector<std::size_t> ranked(std::size_t count, Key key) {
  std::vector<std::size_t> order(count);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return key(a) > key(b); });
  return order;
}

}  // namespace

std::vector<config::ImageProfile> effective_profiles(const config::ContainerPoolConfig& pool) {
  if (!pool.profiles.empty()) return pool.profiles;
  return {config::ImageProfile{pool.image, 1}};
}

std::size_t choose_profile(const std::vector<config::ImageProfile>& profiles, std::uint64_t draw) {
  if (profiles.empty()) return 0;
  std::uint64_t point = draw % total_weight(profiles);
  for (std::size_t i = 0; i < profiles.size(); ++i) {
    const auto weight = weight_of(profiles[i]);
    if (point < weight) return i;
    point -= weight;
  }
  return profiles.size() - 1;  // unreachable: point < total
}

std::vector<std::size_t> split_pool_size(const std::vector<config::ImageProfile>& profiles, std::size_t size) {
  const std::size_t count = profiles.size();
  std::vector<std::size_t> shares(count, 0);
  if (count == 0 || size == 0) return shares;
  if (size < count) {
    const auto heaviest = ranked(count, [&](std::size_t i) { return weight_of(profiles[i]); });
    for (std::size_t i = 0; i < size; ++i) shares[heaviest[i]] = 1;
    return shares;
  }
  const std::uint64_t total = total_weight(profiles);
  const std::uint64_t rest = size - count;
  std::vector<std::uint64_t> remainders(count);
  std::uint64_t handed_out = 0;
  for (std::size_t i = 0; i < count; ++i) {
    const std::uint64_t exact = rest * weight_of(profiles[i]);
    shares[i] = 1 + static_cast<std::size_t>(exact / total);
    remainders[i] = exact % total;
    handed_out += exact / total;
  }
  const auto by_remainder = ranked(count, [&](std::size_t i) { return remainders[i]; });
  for (std::size_t i = 0; handed_out < rest; ++i, ++handed_out) ++shares[by_remainder[i % count]];
  return shares;
}

}  // namespace hermes::sandbox
