// Connection: what a client reveals before and during authentication — its version and KEXINIT
// (HASSH), the public keys it offers, "none" and keyboard-interactive attempts, honeytokens.
// Password handling itself (and the shared failure path) is in connection.cpp.
#include "common/log.hpp"
#include "ssh/bounded_text.hpp"
#include "ssh/connection.hpp"

#include <cstring>

#include "ssh/identification.hpp"

namespace hermes::ssh {

namespace {
Connection& self_of(void* p) { return *static_cast<Connection*>(p); }
}  // namespace

void Connection::publish_request(std::string eventid, std::string message, nlohmann::json fields,
                                 const events::ConnectionInfo* about) {
  if (requests_logged_ > kMaxLoggedRequests) return;
  if (requests_logged_++ == kMaxLoggedRequests) {
    publish("hermes.client.request_flood",
            "More than " + std::to_string(kMaxLoggedRequests) + " requests on this connection; further ones are not logged",
            {{"request", eventid}, {"limit", kMaxLoggedRequests}});
    return;
  }
  bus_.publish(events::make_event(about != nullptr ? *about : info_, std::move(eventid), std::move(message),
                                  std::move(fields)));
}

void Connection::note_key_exchange_progress(bool last) {
  if (!version_published_) {
    if (const char* banner = ssh_get_clientbanner(session_.get())) {
      client_version_ = bounded_text(banner, kMaxCredentialText);
      version_published_ = true;
      publish("hermes.client.version", "Remote SSH version: " + client_version_, {{"version", client_version_}});
    }
  }
  if (!kex_capture_) return;
  // Flushing and searching the trace costs a reopen of the memory file; it can only hold the
  // client's KEXINIT once libssh has read past the client's version line.
  if (!last && !read_past_client_version()) return;
  const KexCapture::Outcome outcome = kex_capture_->step(session_.get(), info_.src_port, last);
  if (outcome.kexinit) {
    nlohmann::json fields = kex_event_fields(*outcome.kexinit);
    const std::string hassh = fields["hassh"].get<std::string>();
    publish("hermes.client.kex", "SSH client hassh fingerprint: " + hassh, std::move(fields));
  }
  if (outcome.finished) kex_capture_.reset();
}

bool Connection::read_past_client_version() {
  const char* banner = ssh_get_clientbanner(session_.get());
  if (banner == nullptr) return false;
  const auto read = client_bytes_read(ssh_get_fd(session_.get()));
  // The line's end is "\r\n" (or a bare "\n"): more than banner + 2 bytes means a packet began.
  return !read || *read > std::strlen(banner) + 2;
}

void Connection::report_honeytoken(nlohmann::json fields, const std::string& what) {
  fields["severity"] = "high";
  log::warn("ssh", "honeytoken used by " + info_.src_ip + ":" + std::to_string(info_.src_port) + " (session " +
                       info_.session + "): " + what);
  publish("hermes.honeytoken", "Honeytoken used: " + what, std::move(fields));
}

void Connection::note_offered_key(const std::string& username, const OfferedKey& key, bool honeytoken) {
  // Clients offer a key, then sign with it: one event per distinct key, in a bounded table.
  if (offered_keys_.size() >= static_cast<std::size_t>(kMaxLoggedRequests)) return;
  if (!offered_keys_.insert(key.fingerprint).second) return;
  publish_request("hermes.client.fingerprint",
                  "public key offered for " + username + ": " + key.type + " " + key.fingerprint,
                  {{"username", username}, {"type", key.type}, {"fingerprint", key.fingerprint}, {"key", key.authorized_key}});
  if (honeytoken) {
    report_honeytoken({{"kind", "key"}, {"username", username}, {"fingerprint", key.fingerprint}},
                      "key " + key.fingerprint + " for " + username);
  }
}

int Connection::cb_auth_none(ssh_session, const char* user, void* p) {
  auto& self = self_of(p);
  const std::string username = bounded_text(user, kMaxCredentialText);
  self.publish_request("hermes.login.none", "login attempt [" + username + "] with method none",
                       {{"username", username}, {"method", "none"}});
  return SSH_AUTH_DENIED;
}

// libssh has checked the signature before it reports SSH_PUBLICKEY_STATE_VALID.
int Connection::cb_auth_pubkey(ssh_session, const char* user, ssh_key_struct* key, char state, void* p) {
  auto& self = self_of(p);
  if (self.authenticated_) return SSH_AUTH_DENIED;
  const auto offered = describe_key(key);
  if (!offered) return SSH_AUTH_DENIED;
  const std::string username = bounded_text(user, kMaxCredentialText);
  const bool honeytoken = self.settings_.keys != nullptr && self.settings_.keys->is_honeytoken(offered->fingerprint);
  self.note_offered_key(username, *offered, honeytoken);
  if (self.settings_.keys == nullptr || !self.settings_.keys->may_log_in(offered->fingerprint)) return SSH_AUTH_DENIED;
  if (state == SSH_PUBLICKEY_STATE_NONE) return SSH_AUTH_SUCCESS;  // a probe: "this key would do"
  if (state != SSH_PUBLICKEY_STATE_VALID) return SSH_AUTH_DENIED;
  nlohmann::json fields{{"username", username}, {"method", "publickey"}, {"fingerprint", offered->fingerprint},
                        {"type", offered->type}};
  const std::string attempt = "[" + username + "/" + offered->fingerprint + "]";
  return self.try_login(username, std::string(), std::move(fields), attempt, true) ? SSH_AUTH_SUCCESS : SSH_AUTH_DENIED;
}

// As sshd with PAM: one prompt, "Password: ", not echoed; the answer is judged as a password.
int Connection::on_keyboard_interactive(ssh_message message) {
  if (!ssh_message_auth_kbdint_is_response(message)) {
    kbdint_user_ = bounded_text(ssh_message_auth_user(message), kMaxCredentialText);
    if (authenticated_) return kMessageDefaultReply;
    const char* prompts[] = {"Password: "};
    char echo[] = {0};
    ssh_message_auth_interactive_request(message, "", "", 1, prompts, echo);
    return kMessageHandled;
  }
  const int answers = ssh_userauth_kbdint_getnanswers(session_.get());
  const char* answer = answers >= 1 ? ssh_userauth_kbdint_getanswer(session_.get(), 0) : nullptr;
  const std::string password = bounded_text(answer, kMaxCredentialText);
  return answer_secret(message, check_password(kbdint_user_, password, "keyboard-interactive"));
}

}  // namespace hermes::ssh
