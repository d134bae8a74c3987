#pragma once
// Admission of new TCP connections, decided right after accept() and before any SSH work:
// open connections overall, open connections per source address, and new connections per
// minute per address (a token bucket holding one minute's worth, refilling continuously).
// A limit of 0 is off. Pure logic with an injectable clock; thread-safe, because tickets are
// released by connections living on any thread.
//
// Memory stays bounded under a flood from many addresses: the per-address table holds at most
// `max_tracked_addresses` entries. An entry is forgotten once it has no open connection and a
// full bucket (it then says nothing a fresh entry would not). When the table is full of entries
// that cannot be forgotten yet, an address that is not in it is refused under the strictest
// per-address rule (`connection_rate_per_ip`, or `max_connections_per_ip` when rates are off):
// it cannot be tracked, so it gets no credit. The table drains within a minute (a bucket's
// refill time) of the flood ending.
#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string_view>

#include <boost/asio/ip/address.hpp>

namespace hermes::ssh {

enum class AdmissionRefusal { none, max_connections, max_connections_per_ip, connection_rate_per_ip };

// The event/log spelling: the config key that refused the connection.
std::string_view refusal_name(AdmissionRefusal refusal);

struct AdmissionLimits {
  int max_connections = 0;         // open connections overall
  int max_connections_per_ip = 0;  // open connections per source address
  int connection_rate_per_ip = 0;  // new connections per minute per source address
  std::size_t max_tracked_addresses = 65536;
};

// 16 bytes: IPv6, with IPv4 held in its IPv4-mapped form so both spellings are one address.
using AddressKey = std::array<uint8_t, 16>;
AddressKey address_key(const boost::asio::ip::address& address);

class Admission {
  struct State;

 public:
  using Clock = std::function<std::chrono::steady_clock::time_point()>;

  // Held by a connection for its lifetime: releasing it (destruction) frees its places.
  class Ticket {
   public:
    Ticket() = default;
    Ticket(Ticket&& other) noexcept;
    Ticket& operator=(Ticket&& other) noexcept;
    Ticket(const Ticket&) = delete;
    Ticket& operator=(const Ticket&) = delete;
    ~Ticket();
    explicit operator bool() const { return state_ != nullptr; }
    void release();

   private:
    friend class Admission;
    Ticket(std::shared_ptr<State> state, AddressKey key) : state_(std::move(state)), key_(key) {}
    std::shared_ptr<State> state_;
    AddressKey key_{};
  };

  struct Decision {
    Ticket ticket;  // empty when refused
    AdmissionRefusal refusal = AdmissionRefusal::none;
  };

  explicit Admission(AdmissionLimits limits, Clock clock = &std::chrono::steady_clock::now);
  ~Admission();

  Decision admit(const boost::asio::ip::address& address);

  std::size_t open_connections() const;
  std::size_t open_connections(const boost::asio::ip::address& address) const;
  std::size_t tracked_addresses() const;

 private:
  std::shared_ptr<State> state_;
};

}  // namespace hermes::ssh
