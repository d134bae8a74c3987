#pragma once
// Image profiles (container_pool.profiles): which image a session gets, and how the warm pool's
// size is shared between the profiles' pools. Pure functions, unit-tested.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "config/config.hpp"

namespace hermes::sandbox {

// The profiles in effect: container_pool.profiles, or the single container_pool.image (weight 1)
// when that list is empty.
std::vector<config::ImageProfile> effective_profiles(const config::ContainerPoolConfig& pool);

// Index of the profile a draw falls on: `draw` is taken modulo the sum of the weights, and each
// profile owns a run of `weight` consecutive values. Weights below 1 count as 1.
std::size_t choose_profile(const std::vector<config::ImageProfile>& profiles, std::uint64_t draw);

// Shares `size` containers between the profiles. When size >= the number of profiles, each gets
// one and the rest are shared in proportion to weight (largest remainder, earlier profile first
// on ties). When size is smaller, the heaviest profiles get one each (earlier first on ties) and
// the others start empty: their sessions wait for a container started on demand.
std::vector<std::size_t> split_pool_size(const std::vector<config::ImageProfile>& profiles, std::size_t size);

}  // namespace hermes::sandbox
