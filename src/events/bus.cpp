#include "events/bus.hpp"

namespace hermes::events {

void Bus::subscribe(std::shared_ptr<Sink> sink) {
  std::lock_guard lock(mutex_);
  sinks_.push_back(std::move(sink));
}

void Bus::publish(const Event& event) {
  std::vector<std::shared_ptr<Sink>> sinks;
  {
    std::lock_guard lock(mutex_);
    sinks = sinks_;
  }
  for (auto& sink : sinks) sink->write(event);
}

void Bus::flush() {
  std::lock_guard lock(mutex_);
  for (auto& sink : sinks_) sink->flush();
}

}  // namespace hermes::events
