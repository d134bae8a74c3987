#pragma once
// Which passwords open the door. Static credentials (a user may have several passwords), and
// optionally any credential once a connection has failed `accept_all_after_failures` times —
// what bots expect from a weak server. Pure logic, one instance per connection.
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
  AuthPolicy(const CredentialTable& table, int accept_all_after_failures)
      : table_(table), accept_all_after_(accept_all_after_failures) {}

  // Decides one password attempt and counts it.
  bool check_password(std::string_view username, std::string_view password);
  int failures() const { return failures_; }
  int attempts() const { return attempts_; }

 private:
  const CredentialTable& table_;
  int accept_all_after_;
  int failures_ = 0;
  int attempts_ = 0;
};

}  // namespace hermes::ssh
