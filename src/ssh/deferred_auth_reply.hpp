#pragma once
// Answering a password request with "failure" later than libssh's message callback returns.
//
// libssh 0.10 frees an ssh_message when the message callback returns, and the function that
// sends SSH_MSG_USERAUTH_FAILURE for a session (ssh_auth_reply_default) is not exported. What
// ssh_message_reply_default() reads of an auth request is only the message's first two fields,
// the session and the request type (server.c; struct ssh_message_struct in messages.h has kept
// that head in every release). So a later failure reply is sent through a small stand-in
// message carrying that head. Whether the head really lies there is checked against each live
// message first; if a future libssh changed it, the check fails and the caller answers at once.
#include <libssh/server.h>

namespace hermes::ssh {

class DeferredAuthReply {
 public:
  // True when `message` (a live auth request of `session`) has the expected head, so a failure
  // can be sent later with send_failure(session).
  static bool can_defer(ssh_session session, ssh_message message);
  // Sends SSH_MSG_USERAUTH_FAILURE with the session's auth methods, as libssh's default reply.
  static int send_failure(ssh_session session);
};

}  // namespace hermes::ssh
