#include "ssh/failure_delay.hpp"

#include <algorithm>
#include <random>

#include "common/sha256.hpp"

namespace hermes::ssh {
namespace {
constexpr FailureDuration kMinFloor{5000};          // sshd: MIN_FAIL_DELAY_SECONDS 0.005
constexpr double kPamUnixDelayMicros = 2'000'000;   // pam_unix: pam_fail_delay(pamh, 2000000)
constexpr FailureDuration kLongestFixed{std::chrono::seconds(30)};

std::uint32_t first_u32_of_hex(const std::string& hex) {
  return static_cast<std::uint32_t>(std::stoul(hex.substr(0, 8), nullptr, 16));
}
}  // namespace

FailureDuration user_floor(std::string_view host_secret, std::string_view user) {
  // sshd hashes "<timing secret><user>" and takes the first 32 bits as picoseconds (0..4.29 ms);
  // Hermes uses SHA-256 where sshd uses SHA-512: only the spread of values matters here.
  std::string input(host_secret);
  input.append(user);
  const std::uint32_t bits = first_u32_of_hex(sha256_hex(input));
  return kMinFloor + FailureDuration(bits / 1'000'000);
}

FailureDuration pam_delay(double u1, double u2, double u3) {
  const double spread = (u1 + u2 + u3) / 3.0 - 0.5;  // -0.5 .. 0.5, peaked at 0
  return FailureDuration(static_cast<long long>(kPamUnixDelayMicros * (1.0 + spread)));
}

FailureDuration rounded_up_to_floor(FailureDuration elapsed, FailureDuration floor) {
  if (floor.count() <= 0) return elapsed;
  FailureDuration value = floor;
  while (value < elapsed) value *= 2;
  return value;
}

FailureDelay::FailureDelay(std::optional<double> fixed_seconds, std::string host_secret)
    : host_secret_(std::move(host_secret)) {
  if (fixed_seconds) {
    const auto micros = std::chrono::duration_cast<FailureDuration>(std::chrono::duration<double>(*fixed_seconds));
    fixed_ = std::clamp(micros, FailureDuration::zero(), kLongestFixed);
  }
}

FailureDuration FailureDelay::next(std::string_view user) const {
  if (fixed_) return *fixed_;
  thread_local std::mt19937_64 generator{std::random_device{}()};
  std::uniform_real_distribution<double> draw(0.0, 1.0);
  const double u1 = draw(generator), u2 = draw(generator), u3 = draw(generator);
  return next(user, u1, u2, u3);
}

FailureDuration FailureDelay::next(std::string_view user, double u1, double u2, double u3) const {
  if (fixed_) return *fixed_;
  return rounded_up_to_floor(pam_delay(u1, u2, u3), user_floor(host_secret_, user));
}

}  // namespace hermes::ssh
