#pragma once
// One SSH session channel: libssh's callbacks in, a queue of output out. Output is queued and
// fed to libssh as the client's window allows (non-blocking ssh_channel_write may take fewer
// bytes than asked); EOF, exit status and close wait until the queued output has gone out.
// Every member runs on the owning connection's strand.
#include <libssh/callbacks.h>

#include <cstddef>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "ssh/libssh_handles.hpp"

namespace hermes::ssh {

class Connection;

// What serves a channel (the session layer). Returning false from a request refuses it.
class ChannelHandler {
 public:
  virtual ~ChannelHandler() = default;
  virtual bool on_pty_request(const std::string& term, int cols, int rows) = 0;
  virtual void on_window_change(int cols, int rows) = 0;
  virtual bool on_env(const std::string& name, const std::string& value) = 0;
  virtual bool on_shell() = 0;
  virtual bool on_exec(const std::string& command) = 0;
  virtual bool on_subsystem(const std::string& name) = 0;
  // Client bytes; returns how many were taken. Bytes not taken stay in libssh's buffer and the
  // client's window stays closed until read_pending_input() picks them up: the backpressure lever.
  virtual std::size_t on_data(std::string_view bytes) = 0;
  virtual void on_eof() = 0;
  virtual void on_signal(const std::string& name) {}
  // Queued output has drained below the low-water mark: more may be written.
  virtual void on_writable() {}
  // The channel is gone (client closed it, or the connection ended). Nothing can be written.
  virtual void on_closed() = 0;
};

class Channel : public std::enable_shared_from_this<Channel> {
 public:
  static constexpr std::size_t kLowWater = 64 * 1024;

  Channel(Connection& connection, ChannelPtr handle, int number);
  ~Channel();
  Channel(const Channel&) = delete;
  Channel& operator=(const Channel&) = delete;

  void set_handler(std::unique_ptr<ChannelHandler> handler);
  ChannelHandler* handler() const { return handler_.get(); }

  void write(std::string_view bytes, bool to_stderr = false);
  std::size_t queued_output() const { return queued_bytes_; }
  // Ends the channel once queued output has been sent: exit-status (when given), EOF, close.
  void finish(std::optional<int> exit_status);
  // Reads input libssh still holds (after on_data returned less than offered).
  std::size_t read_pending_input(std::string& out, std::size_t max);

  bool is_open() const { return handle_ != nullptr && !closed_; }
  int number() const { return number_; }
  bool is_shell() const { return shell_; }  // an interactive shell was started on it

  // Connection's side.
  void flush_output();  // feeds queued output to libssh
  bool reapable() const;  // closed both ways; can be freed
  void detach();          // connection is going away: tell the handler, drop the handle

 private:
  struct Chunk {
    std::string bytes;
    bool to_stderr;
  };
  void install_callbacks();
  void mark_closed();

  // libssh trampolines
  static int cb_data(ssh_session, ssh_channel, void* data, uint32_t len, int is_stderr, void* self);
  static void cb_eof(ssh_session, ssh_channel, void* self);
  static void cb_close(ssh_session, ssh_channel, void* self);
  static void cb_signal(ssh_session, ssh_channel, const char* signal, void* self);
  static void cb_auth_agent(ssh_session, ssh_channel, void* self);
  static int cb_pty_request(ssh_session, ssh_channel, const char* term, int w, int h, int pw,
                            int ph, void* self);
  static int cb_shell(ssh_session, ssh_channel, void* self);
  static int cb_exec(ssh_session, ssh_channel, const char* command, void* self);
  static int cb_env(ssh_session, ssh_channel, const char* name, const char* value, void* self);
  static int cb_subsystem(ssh_session, ssh_channel, const char* name, void* self);
  static int cb_window_change(ssh_session, ssh_channel, int w, int h, int pw, int ph, void* self);
  static int cb_write_wontblock(ssh_session, ssh_channel, uint32_t bytes, void* self);

  Connection* connection_;  // null once detached
  ChannelPtr handle_;
  int number_;
  ssh_channel_callbacks_struct callbacks_{};
  std::unique_ptr<ChannelHandler> handler_;
  std::deque<Chunk> queue_;
  std::size_t queued_bytes_ = 0;
  bool finishing_ = false;
  std::optional<int> exit_status_;
  bool sent_close_ = false;
  bool closed_ = false;  // peer closed, or we closed and need nothing more
  bool shell_ = false;
};

}  // namespace hermes::ssh
