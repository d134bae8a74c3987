#pragma once
// How long a wrong password waits for its "failure" reply, as the persona's sshd answers it.
//
// Debian's sshd authenticates passwords through PAM; pam_unix asks for a 2 s failure delay, which
// Linux-PAM randomises to base * (1 + mean of three uniform draws - 0.5), i.e. 1..3 s clustered
// around 2 s. sshd then never answers a failure faster than a per-user floor (5 ms plus up to
// 4.3 ms from a hash of a host secret and the user name) and, when the attempt already took
// longer, doubles that floor until it covers the elapsed time (auth2.c,
// ensure_minimum_time_since). So one user on one host sees two or three fixed values a factor
// 2 apart (e.g. 2.36 s and 4.71 s), between about 1 and 6 s, mostly 1.5-4.7 s — as measured.
//
// A configured number of seconds replaces the model with that fixed delay (0: none), which keeps
// test suites fast.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace hermes::ssh {

using FailureDuration = std::chrono::microseconds;

// sshd's per-user floor for `user` on the host whose secret is `host_secret`: 5.000..9.295 ms.
FailureDuration user_floor(std::string_view host_secret, std::string_view user);

// Linux-PAM's randomised delay for pam_unix's 2 s, from three draws in [0, 1).
FailureDuration pam_delay(double u1, double u2, double u3);

// The smallest floor * 2^k that is at least `elapsed` (sshd's rounding up).
FailureDuration rounded_up_to_floor(FailureDuration elapsed, FailureDuration floor);

class FailureDelay {
 public:
  // `fixed_seconds`: nullopt for the persona's model, else that delay for every failure.
  // `host_secret`: stable per sensor (derived from its host key), so a user's values stay the
  // same across connections and restarts, as on a real host.
  FailureDelay(std::optional<double> fixed_seconds, std::string host_secret);

  // The delay before answering one failed password of `user`; draws from a per-thread generator.
  FailureDuration next(std::string_view user) const;
  // The same with given draws (tests).
  FailureDuration next(std::string_view user, double u1, double u2, double u3) const;
  bool enabled() const { return !fixed_ || fixed_->count() > 0; }

 private:
  std::optional<FailureDuration> fixed_;
  std::string host_secret_;
};

}  // namespace hermes::ssh
