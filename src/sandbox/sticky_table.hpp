#pragma once
// Per-source-address stickiness (container_pool.sticky_window): the container each address's
// last session ended in, so that a returning attacker gets it back. Entries expire after the
// window; the table is bounded (the least recently ended entry goes first) and `take` removes
// what it returns, so two sessions never get the same container. Not thread-safe (PoolSet locks).
// Kept in memory only: a restarted Hermes starts with an empty table.
#include <chrono>
#include <cstddef>
#include <list>
#include <optional>
#include <string>
#include <unordered_map>

namespace hermes::sandbox {

struct StickyContainer {
  std::string container_id;
  std::string image;
  int profile = 0;
  std::string session;  // the session it served last
  std::chrono::steady_clock::time_point ended;
};

class StickyTable {
 public:
  static constexpr std::size_t kDefaultCapacity = 65536;

  StickyTable(std::chrono::seconds window, std::size_t capacity = kDefaultCapacity);

  // Replaces what `address` had (that older container simply stays stopped and kept).
  void remember(const std::string& address, StickyContainer container);
  // The address's container if it ended within the window; removed from the table either way.
  std::optional<StickyContainer> take(const std::string& address, std::chrono::steady_clock::time_point now);
  // A container that is gone (destroyed) can no longer be handed back.
  void forget_container(const std::string& container_id);
  std::size_t size() const { return by_address_.size(); }

 private:
  struct Entry {
    std::string address;
    StickyContainer container;
  };
  void expire(std::chrono::steady_clock::time_point now);
  void erase(std::list<Entry>::iterator entry);

  std::chrono::seconds window_;
  std::size_t capacity_;
  std::list<Entry> by_end_;  // oldest first: expiry and eviction work from the front
  std::unordered_map<std::string, std::list<Entry>::iterator> by_address_;
};

}  // namespace hermes::sandbox
