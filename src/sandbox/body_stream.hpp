#pragma once
// The body of a response the engine streams for as long as it runs (GET /events), decoded from
// HTTP chunked encoding as it arrives. Opening it is bounded by the request's deadline; reading
// is not: a quiet engine is not a broken one, and a broken one closes the connection.
#include <boost/asio/awaitable.hpp>
#include <memory>
#include <string>

#include "common/result.hpp"

namespace hermes::sandbox {

class BodyStream {
 public:
  virtual ~BodyStream() = default;
  // The next decoded body bytes; an empty string when the engine ended the response. A
  // connection that breaks is an Error.
  virtual boost::asio::awaitable<Result<std::string>> read_some() = 0;
  // Cancels a pending read (it ends with an Error); safe from any thread.
  virtual void close() = 0;
};

}  // namespace hermes::sandbox
