#pragma once
// Which passwords open the door. Static credentials (a user may have several passwords),
// honeytoken credentials (they log in too: the point of bait is to see what its finder does),
// and optionally any credential once a connection has failed `accept_all_after_failures`
// times — what bots expect from a weak server. Pure logic, one instance per connection.
// Keyboard-interactive answers go through the same policy as passwords.
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "config/config.hpp"

namespace hermes::ssh {

class CredentialTable {
 public:
  explicit CredentialTable(const std::vector<config::Credential>& credentials);
  bool matches(std::string_view username, std::string_view password) const;

 private:
  std::unordered_map<std::string, std::unordered_set<std::string>> passwords_by_user_;
};

class AuthPolicy {
 public:
  AuthPolicy(const CredentialTable& table, int accept_all_after_failures,
             const CredentialTable* honeytokens = nullptr)
      : table_(table), honeytokens_(honeytokens), accept_all_after_(accept_all_after_failures) {}

  // Decides one password attempt and counts it.
  bool check_password(std::string_view username, std::string_view password);
  int failures() const { return failures_; }
  int attempts() const { return attempts_; }
  bool is_honeytoken(std::string_view username, std::string_view password) const {
    return honeytokens_ != nullptr && honeytokens_->matches(username, password);
  }

 private:
  const CredentialTable& table_;
  const CredentialTable* honeytokens_;
  int accept_all_after_;
  int failures_ = 0;
  int attempts_ = 0;
};

// Which offered public keys may log in (once the client proves it holds them):
// `authentication.publickey: accept` lets every key in; honeytoken keys always get in, as
// honeytoken credentials do. Fingerprints as `ssh-keygen -l` prints them ("SHA256:...").
class KeyPolicy {
 public:
  KeyPolicy(bool accept_keys, const std::vector<std::string>& honeytoken_fingerprints)
      : accept_keys_(accept_keys), honeytokens_(honeytoken_fingerprints.begin(), honeytoken_fingerprints.end()) {}
  bool is_honeytoken(const std::string& fingerprint) const { return honeytokens_.contains(fingerprint); }
  bool may_log_in(const std::string& fingerprint) const { return accept_keys_ || is_honeytoken(fingerprint); }

 private:
  bool accept_keys_;
  std::unordered_set<std::string> honeytokens_;
};

}  // namespace hermes::ssh
