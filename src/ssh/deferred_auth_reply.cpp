#include "ssh/deferred_auth_reply.hpp"

#include <array>
#include <cstddef>
#include <cstring>

namespace hermes::ssh {
namespace {

// The head of libssh's struct ssh_message_struct.
struct MessageHead {
  ssh_session session;
  int type;
};

// A stand-in message: the head, then zeroed room far larger than libssh's whole struct, so that
// nothing libssh might read for an auth reply lies outside it.
struct alignas(std::max_align_t) StandInMessage {
  MessageHead head;
  std::array<unsigned char, 4096> rest{};
};

}  // namespace

bool DeferredAuthReply::can_defer(ssh_session session, ssh_message message) {
  if (message == nullptr || ssh_message_type(message) != SSH_REQUEST_AUTH) return false;
  MessageHead head{};
  std::memcpy(&head, message, sizeof head);
  return head.session == session && head.type == SSH_REQUEST_AUTH;
}

int DeferredAuthReply::send_failure(ssh_session session) {
  StandInMessage stand_in{};
  stand_in.head = MessageHead{session, SSH_REQUEST_AUTH};
  return ssh_message_reply_default(reinterpret_cast<ssh_message>(&stand_in));
}

}  // namespace hermes::ssh
