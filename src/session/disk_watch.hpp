#pragma once
// Watches one session container's writable layer against container_pool.security.disk_limit.
// Docker's StorageOpt quota needs xfs with project quotas, so on ext4 the only enforcement is
// to ask the engine for SizeRw every disk_check_interval seconds and end the session once it
// passes the limit. Runs on the session's strand from the lease until stop().
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "sandbox/docker_client.hpp"

namespace hermes::session {

namespace asio = boost::asio;

class DiskWatch : public std::enable_shared_from_this<DiskWatch> {
 public:
  // Called once, on the strand, with the size seen and the limit; the watch has stopped.
  using OnExceeded = std::function<void(int64_t size, int64_t limit)>;

  DiskWatch(asio::any_io_executor strand, sandbox::DockerClient& docker, std::string container_id,
            int64_t limit_bytes, std::chrono::seconds interval, OnExceeded on_exceeded);

  void start();
  void stop();  // idempotent; no callback after it

  // The size at the last successful check (-1 before the first).
  int64_t last_size() const { return last_size_; }

 private:
  asio::awaitable<void> run();

  sandbox::DockerClient& docker_;
  std::string container_id_;
  int64_t limit_;
  std::chrono::seconds interval_;
  OnExceeded on_exceeded_;
  asio::steady_timer timer_;
  bool stopped_ = false;
  bool warned_ = false;  // one operator warning per session when the engine cannot tell
  int64_t last_size_ = -1;
};

}  // namespace hermes::session
