#pragma once
// std::unique_ptr with the matching libssh free function for every C handle Hermes owns.
#include <libssh/libssh.h>
#include <libssh/server.h>

#include <memory>

namespace hermes::ssh {

struct SessionDeleter { void operator()(ssh_session s) const { ssh_free(s); } };
struct BindDeleter { void operator()(ssh_bind b) const { ssh_bind_free(b); } };
struct KeyDeleter { void operator()(ssh_key k) const { ssh_key_free(k); } };
struct EventDeleter { void operator()(ssh_event e) const { ssh_event_free(e); } };
struct ChannelDeleter { void operator()(ssh_channel c) const { ssh_channel_free(c); } };
struct CStringDeleter { void operator()(char* p) const { ssh_string_free_char(p); } };

using SessionPtr = std::unique_ptr<ssh_session_struct, SessionDeleter>;
using BindPtr = std::unique_ptr<ssh_bind_struct, BindDeleter>;
using KeyPtr = std::unique_ptr<ssh_key_struct, KeyDeleter>;
using EventPtr = std::unique_ptr<ssh_event_struct, EventDeleter>;
using ChannelPtr = std::unique_ptr<ssh_channel_struct, ChannelDeleter>;
using CStringPtr = std::unique_ptr<char, CStringDeleter>;

}  // namespace hermes::ssh
