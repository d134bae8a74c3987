#pragma once
// BodyStream over the socket of a response whose headers were read and whose body is chunked.
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <memory>

#include "sandbox/body_stream.hpp"
#include "sandbox/hijacked_socket_stream.hpp"

namespace hermes::sandbox {

using StreamedResponseParser = boost::beast::http::response_parser<boost::beast::http::empty_body>;

// `socket` must be bound to a strand (all operations run there); `buffer` holds whatever was
// read past the headers; `parser` has read exactly the headers. A body that is not chunked is
// reported as an error by the first read (empty_body accepts none).
std::unique_ptr<BodyStream> make_chunked_body_stream(EngineSocket socket, boost::beast::flat_buffer buffer,
                                                     std::unique_ptr<StreamedResponseParser> parser);

// One read_some hands out at most this much, however fast the engine talks.
inline constexpr std::size_t kMaxBodyStreamRead = 256 * 1024;

}  // namespace hermes::sandbox
