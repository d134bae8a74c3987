#pragma once
// The one place every step publishes to; sinks subscribe. No step knows about any sink.
#include <memory>
#include <mutex>
#include <vector>

#include "events/event.hpp"

namespace hermes::events {

class Sink {
 public:
  virtual ~Sink() = default;
  // Called from any thread; a sink must be thread-safe and must not block for long.
  virtual void write(const Event& event) = 0;
  virtual void flush() {}
};

class Bus {
 public:
  void subscribe(std::shared_ptr<Sink> sink);
  void publish(const Event& event);
  void flush();

 private:
  std::mutex mutex_;
  std::vector<std::shared_ptr<Sink>> sinks_;
};

}  // namespace hermes::events
