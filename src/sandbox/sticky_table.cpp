#include "sandbox/sticky_table.hpp"

#include <algorithm>

namespace hermes::sandbox {

StickyTable::StickyTable(std::chrono::seconds window, std::size_t capacity)
    : window_(window), capacity_(std::max<std::size_t>(1, capacity)) {}

void StickyTable::erase(std::list<Entry>::iterator entry) {
  by_address_.erase(entry->address);
  by_end_.erase(entry);
}

void StickyTable::expire(std::chrono::steady_clock::time_point now) {
  while (!by_end_.empty() && now - by_end_.front().container.ended > window_) erase(by_end_.begin());
}

void StickyTable::remember(const std::string& address, StickyContainer container) {
  if (window_.count() <= 0 || address.empty()) return;
  if (const auto known = by_address_.find(address); known != by_address_.end()) erase(known->second);
  expire(container.ended);
  while (by_address_.size() >= capacity_) erase(by_end_.begin());
  by_end_.push_back(Entry{address, std::move(container)});
  by_address_[address] = std::prev(by_end_.end());
}

std::optional<StickyContainer> StickyTable::take(const std::string& address,
                                                 std::chrono::steady_clock::time_point now) {
  expire(now);
  const auto known = by_address_.find(address);
  if (known == by_address_.end()) return std::nullopt;
  StickyContainer container = std::move(known->second->container);
  erase(known->second);
  return container;
}

void StickyTable::forget_container(const std::string& container_id) {
  const auto found = std::find_if(by_end_.begin(), by_end_.end(),
                                  [&](const Entry& entry) { return entry.container.container_id == container_id; });
  if (found != by_end_.end()) erase(found);
}

}  // namespace hermes::sandbox
