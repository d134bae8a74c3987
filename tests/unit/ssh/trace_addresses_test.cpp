#include "ssh/trace_addresses.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>
#include <string>
#include <thread>

#include "common/unique_fd.hpp"

namespace hermes::ssh {
namespace {

sockaddr_storage v6_address(const char* text, std::uint16_t port) {
  sockaddr_storage storage{};
  auto* v6 = reinterpret_cast<sockaddr_in6*>(&storage);
  v6->sin6_family = AF_INET6;
  v6->sin6_port = htons(port);
  EXPECT_EQ(::inet_pton(AF_INET6, text, &v6->sin6_addr), 1);
  return storage;
}

std::string text_of(const in_addr& address) {
  char buffer[INET_ADDRSTRLEN] = {};
  return ::inet_ntop(AF_INET, &address, buffer, sizeof(buffer)) ? buffer : "?";
}

TEST(Ipv4View, Ipv6BecomesTheMappedIpv4AddressOrAnyButKeepsThePort) {
  struct Case {
    const char* v6;
    std::uint16_t port;
    const char* expected;
  };
  for (const Case& c : {Case{"::ffff:127.0.0.1", 2222, "127.0.0.1"}, Case{"2001:db8::7", 50022, "0.0.0.0"},
                        Case{"::1", 22, "0.0.0.0"}}) {
    const auto view = ipv4_view(v6_address(c.v6, c.port), sizeof(sockaddr_in6));
    ASSERT_TRUE(view) << c.v6;
    EXPECT_EQ(view->sin_family, AF_INET);
    EXPECT_EQ(ntohs(view->sin_port), c.port);
    EXPECT_EQ(text_of(view->sin_addr), c.expected);
  }
}

TEST(Ipv4View, Ipv4StaysAsItIs) {
  sockaddr_storage storage{};
  auto* v4 = reinterpret_cast<sockaddr_in*>(&storage);
  v4->sin_family = AF_INET;
  v4->sin_port = htons(22);
  ASSERT_EQ(::inet_pton(AF_INET, "192.0.2.9", &v4->sin_addr), 1);
  const auto view = ipv4_view(storage, sizeof(sockaddr_in));
  ASSERT_TRUE(view);
  EXPECT_EQ(ntohs(view->sin_port), 22);
  EXPECT_EQ(text_of(view->sin_addr), "192.0.2.9");
}

TEST(Ipv4View, OtherFamiliesAndShortLengthsHaveNone) {
  sockaddr_storage unix_socket{};
  unix_socket.ss_family = AF_UNIX;
  EXPECT_FALSE(ipv4_view(unix_socket, sizeof(unix_socket)));
  EXPECT_FALSE(ipv4_view(v6_address("::1", 22), sizeof(sockaddr_in)));  // cut short
}

// A connected TCP pair over loopback: the listener's family decides the accepted socket's.
struct Pair {
  UniqueFd client, accepted;
  std::uint16_t server_port = 0, client_port = 0;
};

Pair connect_pair(const char* listen_on, int client_family, const char* connect_to) {
  Pair pair;
  UniqueFd listener(::socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0));
  EXPECT_TRUE(listener);
  const int dual_stack = 0;
  ::setsockopt(listener.get(), IPPROTO_IPV6, IPV6_V6ONLY, &dual_stack, sizeof(dual_stack));
  sockaddr_storage bound = v6_address(listen_on, 0);
  EXPECT_EQ(::bind(listener.get(), reinterpret_cast<sockaddr*>(&bound), sizeof(sockaddr_in6)), 0);
  EXPECT_EQ(::listen(listener.get(), 1), 0);
  socklen_t length = sizeof(bound);
  ::getsockname(listener.get(), reinterpret_cast<sockaddr*>(&bound), &length);
  pair.server_port = ntohs(reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port);

  pair.client = UniqueFd(::socket(client_family, SOCK_STREAM | SOCK_CLOEXEC, 0));
  sockaddr_storage target{};
  if (client_family == AF_INET6) {
    target = v6_address(connect_to, pair.server_port);
  } else {
    auto* v4 = reinterpret_cast<sockaddr_in*>(&target);
    v4->sin_family = AF_INET;
    v4->sin_port = htons(pair.server_port);
    EXPECT_EQ(::inet_pton(AF_INET, connect_to, &v4->sin_addr), 1);
  }
  const socklen_t target_length = client_family == AF_INET6 ? sizeof(sockaddr_in6) : sizeof(sockaddr_in);
  EXPECT_EQ(::connect(pair.client.get(), reinterpret_cast<sockaddr*>(&target), target_length), 0);
  pair.accepted = UniqueFd(::accept4(listener.get(), nullptr, nullptr, SOCK_CLOEXEC));
  EXPECT_TRUE(pair.accepted);
  sockaddr_storage local{};
  length = sizeof(local);
  ::getsockname(pair.client.get(), reinterpret_cast<sockaddr*>(&local), &length);
  pair.client_port = ntohs(reinterpret_cast<sockaddr_in*>(&local)->sin_port);  // same offset in both
  return pair;
}

// What libssh's trace writer does: ask into a sockaddr_in.
struct Asked {
  int rc = -1;
  sockaddr_in address{};
  socklen_t length = sizeof(sockaddr_in);
};
Asked ask_as_libssh(int (*call)(int, sockaddr*, socklen_t*), int fd) {
  Asked asked;
  asked.rc = call(fd, reinterpret_cast<sockaddr*>(&asked.address), &asked.length);
  return asked;
}

TEST(Ipv4TraceScope, Ipv6SocketLooksIpv4InsideTheScopeWithItsRealPorts) {
  const Pair pair = connect_pair("::1", AF_INET6, "::1");
  {
    const Ipv4TraceScope scope(pair.accepted.get());
    const Asked local = ask_as_libssh(&::getsockname, pair.accepted.get());
    const Asked peer = ask_as_libssh(&::getpeername, pair.accepted.get());
    ASSERT_EQ(local.rc, 0);
    ASSERT_EQ(peer.rc, 0);
    EXPECT_EQ(local.address.sin_family, AF_INET);
    EXPECT_EQ(peer.address.sin_family, AF_INET);
    EXPECT_EQ(local.length, sizeof(sockaddr_in));
    EXPECT_EQ(ntohs(local.address.sin_port), pair.server_port);
    EXPECT_EQ(ntohs(peer.address.sin_port), pair.client_port);
    EXPECT_EQ(text_of(peer.address.sin_addr), "0.0.0.0");
  }
  // After the scope, the real answer again (cut to the buffer, as the kernel does).
  EXPECT_EQ(ask_as_libssh(&::getsockname, pair.accepted.get()).address.sin_family, AF_INET6);
}

TEST(Ipv4TraceScope, DualStackClientShowsItsRealIpv4Address) {
  const Pair pair = connect_pair("::", AF_INET, "127.0.0.1");
  const Ipv4TraceScope scope(pair.accepted.get());
  const Asked peer = ask_as_libssh(&::getpeername, pair.accepted.get());
  ASSERT_EQ(peer.rc, 0);
  EXPECT_EQ(peer.address.sin_family, AF_INET);
  EXPECT_EQ(text_of(peer.address.sin_addr), "127.0.0.1");
  EXPECT_EQ(ntohs(peer.address.sin_port), pair.client_port);
}

TEST(Ipv4TraceScope, EverythingElsePassesThroughUntouched) {
  const Pair pair = connect_pair("::1", AF_INET6, "::1");
  const Ipv4TraceScope scope(pair.accepted.get());
  // Another socket in the same scope.
  EXPECT_EQ(ask_as_libssh(&::getpeername, pair.client.get()).address.sin_family, AF_INET6);
  // A caller with room for an IPv6 address (as Asio has) gets it whole.
  sockaddr_in6 whole{};
  socklen_t length = sizeof(whole);
  ASSERT_EQ(::getpeername(pair.accepted.get(), reinterpret_cast<sockaddr*>(&whole), &length), 0);
  EXPECT_EQ(whole.sin6_family, AF_INET6);
  EXPECT_EQ(length, sizeof(sockaddr_in6));
  EXPECT_TRUE(IN6_IS_ADDR_LOOPBACK(&whole.sin6_addr));
  // Another thread asking about the scoped socket.
  sa_family_t seen_elsewhere = AF_UNSPEC;
  std::thread([&] { seen_elsewhere = ask_as_libssh(&::getsockname, pair.accepted.get()).address.sin_family; }).join();
  EXPECT_EQ(seen_elsewhere, AF_INET6);
  // Errors stay errors.
  const Ipv4TraceScope closed_fd(-1);
  EXPECT_EQ(ask_as_libssh(&::getsockname, -1).rc, -1);
}

TEST(Ipv4TraceScope, ScopesNestAndRestore) {
  const Pair pair = connect_pair("::1", AF_INET6, "::1");
  const Ipv4TraceScope outer(pair.accepted.get());
  {
    const Ipv4TraceScope inner(pair.client.get());
    EXPECT_EQ(ask_as_libssh(&::getsockname, pair.accepted.get()).address.sin_family, AF_INET6);
    EXPECT_EQ(ask_as_libssh(&::getsockname, pair.client.get()).address.sin_family, AF_INET);
  }
  EXPECT_EQ(ask_as_libssh(&::getsockname, pair.accepted.get()).address.sin_family, AF_INET);
}

}  // namespace
}  // namespace hermes::ssh
