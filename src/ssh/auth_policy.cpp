#include "ssh/auth_policy.hpp"

namespace hermes::ssh {

CredentialTable::CredentialTable(const std::vector<config::Credential>& credentials) {
  for (const auto& c : credentials) passwords_by_user_[c.username].insert(c.password);
}

bool CredentialTable::matches(std::string_view username, std::string_view password) const {
  auto it = passwords_by_user_.find(std::string(username));
  return it != passwords_by_user_.end() && it->second.contains(std::string(password));
}

bool AuthPolicy::check_password(std::string_view username, std::string_view password) {
  ++attempts_;
  const bool accepted = table_.matches(username, password) || is_honeytoken(username, password) ||
                        (accept_all_after_ > 0 && failures_ >= accept_all_after_);
  if (!accepted) ++failures_;
  return accepted;
}

}  // namespace hermes::ssh
