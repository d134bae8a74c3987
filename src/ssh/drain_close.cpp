#include "ssh/drain_close.hpp"

#include <sys/socket.h>

#include <array>
#include <boost/asio/buffer.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <memory>

namespace hermes::ssh {
namespace {

namespace asio = boost::asio;

class Drain : public std::enable_shared_from_this<Drain> {
 public:
  Drain(asio::any_io_executor executor, UniqueFd socket, Admission::Ticket ticket, DrainLimits limits)
      : descriptor_(executor), deadline_(executor), ticket_(std::move(ticket)), limits_(limits) {
    ::shutdown(socket.get(), SHUT_WR);
    boost::system::error_code ec;
    descriptor_.assign(socket.get(), ec);
    if (!ec) socket.release();  // the descriptor owns it now; on failure `socket` closes it
  }

  void start() {
    if (!descriptor_.is_open()) return;
    deadline_.expires_after(limits_.time);
    deadline_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
      if (!ec) self->finish();
    });
    read_more();
  }

 private:
  void read_more() {
    descriptor_.async_read_some(asio::buffer(buffer_),
                                [self = shared_from_this()](boost::system::error_code ec, std::size_t n) {
                                  self->read_ += n;
                                  // EOF ends it too: Asio must not be asked to read past it.
                                  if (ec || self->read_ >= self->limits_.bytes || !self->descriptor_.is_open())
                                    return self->finish();
                                  self->read_more();
                                });
  }

  void finish() {
    deadline_.cancel();
    boost::system::error_code ignored;
    descriptor_.close(ignored);  // cancels a pending read; its handler then finds it closed
    ticket_.release();
  }

  asio::posix::stream_descriptor descriptor_;
  asio::steady_timer deadline_;
  Admission::Ticket ticket_;
  DrainLimits limits_;
  std::array<char, 4096> buffer_{};
  std::size_t read_ = 0;
};

}  // namespace

void drain_then_close(asio::any_io_executor executor, UniqueFd socket, Admission::Ticket ticket,
                      DrainLimits limits) {
  if (!socket) return;
  std::make_shared<Drain>(std::move(executor), std::move(socket), std::move(ticket), limits)->start();
}

}  // namespace hermes::ssh
