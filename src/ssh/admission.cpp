#include "ssh/admission.hpp"

#include <algorithm>
#include <mutex>
#include <unordered_map>

namespace hermes::ssh {

namespace asio = boost::asio;
using std::chrono::steady_clock;

namespace {
struct KeyHash {
  std::size_t operator()(const AddressKey& key) const noexcept {
    // FNV-1a: cheap, and the table is bounded, so a skewed distribution costs time, not memory.
    uint64_t h = 1469598103934665603ULL;
    for (uint8_t b : key) h = (h ^ b) * 1099511628211ULL;
    return static_cast<std::size_t>(h);
  }
};

// Full sweeps of the table: routinely once a minute, and at most once a second while it is full.
constexpr auto kRoutineSweep = std::chrono::seconds(60);
constexpr auto kFullTableSweep = std::chrono::seconds(1);
}  // namespace

std::string_view refusal_name(AdmissionRefusal refusal) {
  switch (refusal) {
    case AdmissionRefusal::max_connections: return "max_connections";
    case AdmissionRefusal::max_connections_per_ip: return "max_connections_per_ip";
    case AdmissionRefusal::connection_rate_per_ip: return "connection_rate_per_ip";
    case AdmissionRefusal::none: break;
  }
  return "none";
}

AddressKey address_key(const asio::ip::address& address) {
  const auto v6 = address.is_v4() ? asio::ip::make_address_v6(asio::ip::v4_mapped, address.to_v4())
                                  : address.to_v6();
  return v6.to_bytes();
}

struct Admission::State {
  struct Entry {
    std::size_t open = 0;
    double tokens = 0;  // connections this address may still open now
    steady_clock::time_point refilled;
  };

  State(AdmissionLimits l, Clock c) : limits(l), clock(std::move(c)), last_sweep(clock()) {}

  bool tracks_addresses() const { return limits.max_connections_per_ip > 0 || limits.connection_rate_per_ip > 0; }
  double bucket_size() const { return static_cast<double>(limits.connection_rate_per_ip); }

  double tokens_at(const Entry& e, steady_clock::time_point now) const {
    const double seconds = std::chrono::duration<double>(now - e.refilled).count();
    return std::min(bucket_size(), e.tokens + seconds * bucket_size() / 60.0);
  }

  void refill(Entry& e, steady_clock::time_point now) const {
    e.tokens = tokens_at(e, now);
    e.refilled = now;
  }

  bool forgettable(const Entry& e, steady_clock::time_point now) const {
    if (e.open > 0) return false;
    return limits.connection_rate_per_ip <= 0 || tokens_at(e, now) >= bucket_size();
  }

  void sweep(steady_clock::time_point now) {
    last_sweep = now;
    std::erase_if(table, [&](const auto& item) { return forgettable(item.second, now); });
  }

  AdmissionRefusal strictest_per_address_rule() const {
    return limits.connection_rate_per_ip > 0 ? AdmissionRefusal::connection_rate_per_ip
                                             : AdmissionRefusal::max_connections_per_ip;
  }

  // Finds or makes the entry of `key`; null when the table is full and nothing can be forgotten.
  Entry* entry_for(const AddressKey& key, steady_clock::time_point now) {
    if (now - last_sweep >= kRoutineSweep) sweep(now);
    if (auto it = table.find(key); it != table.end()) return &it->second;
    if (table.size() >= limits.max_tracked_addresses) {
      if (now - last_sweep < kFullTableSweep) return nullptr;
      sweep(now);
      if (table.size() >= limits.max_tracked_addresses) return nullptr;
    }
    Entry& e = table[key];
    e.tokens = bucket_size();
    e.refilled = now;
    return &e;
  }

  AdmissionRefusal admit(const AddressKey& key) {
    if (limits.max_connections > 0 && open_total >= static_cast<std::size_t>(limits.max_connections)) {
      return AdmissionRefusal::max_connections;
    }
    if (tracks_addresses()) {
      const auto now = clock();
      Entry* e = entry_for(key, now);
      if (e == nullptr) return strictest_per_address_rule();
      if (limits.max_connections_per_ip > 0 && e->open >= static_cast<std::size_t>(limits.max_connections_per_ip)) {
        return AdmissionRefusal::max_connections_per_ip;
      }
      if (limits.connection_rate_per_ip > 0) {
        refill(*e, now);
        if (e->tokens < 1.0) return AdmissionRefusal::connection_rate_per_ip;
        e->tokens -= 1.0;
      }
      ++e->open;
    }
    ++open_total;
    return AdmissionRefusal::none;
  }

  void release(const AddressKey& key) {
    --open_total;
    if (!tracks_addresses()) return;
    auto it = table.find(key);
    if (it == table.end()) return;  // cannot happen: entries with open connections are kept
    if (it->second.open > 0) --it->second.open;
    if (forgettable(it->second, clock())) table.erase(it);
  }

  mutable std::mutex mutex;
  const AdmissionLimits limits;
  const Clock clock;
  std::size_t open_total = 0;
  std::unordered_map<AddressKey, Entry, KeyHash> table;
  steady_clock::time_point last_sweep;
};

Admission::Ticket::Ticket(Ticket&& other) noexcept
    : state_(std::exchange(other.state_, nullptr)), key_(other.key_) {}

Admission::Ticket& Admission::Ticket::operator=(Ticket&& other) noexcept {
  if (this != &other) {
    release();
    state_ = std::exchange(other.state_, nullptr);
    key_ = other.key_;
  }
  return *this;
}

Admission::Ticket::~Ticket() { release(); }

void Admission::Ticket::release() {
  if (!state_) return;
  {
    std::lock_guard lock(state_->mutex);
    state_->release(key_);
  }
  state_.reset();
}

Admission::Admission(AdmissionLimits limits, Clock clock)
    : state_(std::make_shared<State>(limits, std::move(clock))) {}

Admission::~Admission() = default;

Admission::Decision Admission::admit(const asio::ip::address& address) {
  const AddressKey key = address_key(address);
  std::lock_guard lock(state_->mutex);
  const AdmissionRefusal refusal = state_->admit(key);
  if (refusal != AdmissionRefusal::none) return {Ticket(), refusal};
  return {Ticket(state_, key), AdmissionRefusal::none};
}

std::size_t Admission::open_connections() const {
  std::lock_guard lock(state_->mutex);
  return state_->open_total;
}

std::size_t Admission::open_connections(const asio::ip::address& address) const {
  std::lock_guard lock(state_->mutex);
  auto it = state_->table.find(address_key(address));
  return it == state_->table.end() ? 0 : it->second.open;
}

std::size_t Admission::tracked_addresses() const {
  std::lock_guard lock(state_->mutex);
  return state_->table.size();
}

}  // namespace hermes::ssh
