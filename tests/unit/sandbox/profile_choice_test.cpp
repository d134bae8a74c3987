#include "sandbox/profile_choice.hpp"

#include <gtest/gtest.h>

namespace hermes::sandbox {
namespace {

using config::ImageProfile;

TEST(ProfileChoice, WithoutProfilesTheSingleImageIsTheOnlyProfile) {
  config::ContainerPoolConfig pool;
  pool.image = "hermes-target-minimal:latest";
  const auto profiles = effective_profiles(pool);
  ASSERT_EQ(profiles.size(), 1u);
  EXPECT_EQ(profiles[0].image, "hermes-target-minimal:latest");
  EXPECT_EQ(profiles[0].weight, 1);
  pool.profiles = {{"a:1", 3}, {"b:1", 1}};
  EXPECT_EQ(effective_profiles(pool), pool.profiles);
}

TEST(ProfileChoice, EachProfileOwnsARunOfItsWeight) {
  const std::vector<ImageProfile> profiles{{"a", 3}, {"b", 1}, {"c", 2}};
  const std::vector<std::size_t> expected{0, 0, 0, 1, 2, 2};
  for (std::uint64_t draw = 0; draw < 12; ++draw) {
    EXPECT_EQ(choose_profile(profiles, draw), expected[draw % 6]) << "draw " << draw;
  }
  EXPECT_EQ(choose_profile(profiles, ~std::uint64_t{0}), expected[(~std::uint64_t{0}) % 6]);
}

TEST(ProfileChoice, FrequenciesFollowWeightsOverAllDraws) {
  const std::vector<ImageProfile> profiles{{"a", 1}, {"b", 4}};
  std::vector<int> counts(2, 0);
  for (std::uint64_t draw = 1000; draw < 1500; ++draw) ++counts[choose_profile(profiles, draw)];
  EXPECT_EQ(counts[0], 100);
  EXPECT_EQ(counts[1], 400);
}

TEST(ProfileChoice, WeightsBelowOneCountAsOneAndEmptyListIsSafe) {
  const std::vector<ImageProfile> profiles{{"a", 0}, {"b", -5}};
  EXPECT_EQ(choose_profile(profiles, 0), 0u);
  EXPECT_EQ(choose_profile(profiles, 1), 1u);
  EXPECT_EQ(choose_profile({}, 7), 0u);
}

TEST(PoolSplit, OneEachThenTheRestByWeight) {
  const std::vector<ImageProfile> profiles{{"a", 3}, {"b", 1}};
  EXPECT_EQ(split_pool_size(profiles, 2), (std::vector<std::size_t>{1, 1}));
  EXPECT_EQ(split_pool_size(profiles, 6), (std::vector<std::size_t>{4, 2}));  // 1+3, 1+1
  EXPECT_EQ(split_pool_size(profiles, 10), (std::vector<std::size_t>{7, 3}));  // 1+6, 1+2
}

TEST(PoolSplit, LargestRemainderKeepsTheTotal) {
  const std::vector<ImageProfile> profiles{{"a", 1}, {"b", 1}, {"c", 1}};
  EXPECT_EQ(split_pool_size(profiles, 5), (std::vector<std::size_t>{2, 2, 1}));
  const std::vector<ImageProfile> uneven{{"a", 5}, {"b", 3}, {"c", 2}, {"d", 7}};
  for (std::size_t size = 0; size < 40; ++size) {
    const auto shares = split_pool_size(uneven, size);
    std::size_t total = 0;
    for (auto share : shares) total += share;
    EXPECT_EQ(total, size) << "size " << size;
    if (size >= uneven.size())
      for (auto share : shares) EXPECT_GE(share, 1u) << "size " << size;
  }
}

TEST(PoolSplit, SmallerThanTheProfileCountServesTheHeaviestFirst) {
  const std::vector<ImageProfile> profiles{{"a", 1}, {"b", 5}, {"c", 5}};
  EXPECT_EQ(split_pool_size(profiles, 1), (std::vector<std::size_t>{0, 1, 0}));
  EXPECT_EQ(split_pool_size(profiles, 2), (std::vector<std::size_t>{0, 1, 1}));
  EXPECT_EQ(split_pool_size(profiles, 0), (std::vector<std::size_t>{0, 0, 0}));
}

}  // namespace
}  // namespace hermes::sandbox
