// DockerClient::export_container against the scripted fake engine: the tar stream reaches the
// sink in pieces as sent (chunked or not), a sink's Error stops the transfer, a refusal carries
// Docker's message, and a stuck transfer times out.
#include <gtest/gtest.h>

#include "sandbox/docker_client.hpp"
#include "unit/sandbox/fake_engine.hpp"

namespace hermes::sandbox {
namespace {

using namespace std::chrono_literals;
namespace fake = testing;  // the scripted engine

std::string tar_like_bytes(std::size_t size) {
  std::string out(size, '\0');
  for (std::size_t i = 0; i < size; ++i) out[i] = static_cast<char>((i * 7919) >> 3);
  return out;
}

class DockerExportTest : public ::testing::Test {
 protected:
  void engine(fake::FakeEngine::Script script) {
    fake_ = std::make_unique<fake::FakeEngine>(io_, std::move(script));
    client_ = std::make_unique<DockerClient>(io_.get_executor(), fake_->endpoint(), 5s);
  }
  asio::awaitable<Result<std::uint64_t>> export_into(std::string& received, std::size_t& pieces,
                                                     std::chrono::milliseconds timeout = 5s) {
    DockerClient::ExportSink sink = [&](std::string_view piece) -> Result<void> {
      received.append(piece);
      ++pieces;
      return {};
    };
    co_return co_await client_->export_container("abc123", std::move(sink), timeout);
  }

  asio::io_context io_;
  std::unique_ptr<fake::FakeEngine> fake_;
  std::unique_ptr<DockerClient> client_;
};

TEST_F(DockerExportTest, ChunkedTarStreamArrivesWholeInPieces) {
  const std::string tar = tar_like_bytes(300 * 1024);
  engine([&](const fake::Request&) { return fake::Reply{fake::chunked_response(200, tar, 7)}; });
  std::string received;
  std::size_t pieces = 0;
  const auto size = fake::run(io_, export_into(received, pieces));
  ASSERT_TRUE(size) << size.error().message;
  EXPECT_EQ(*size, tar.size());
  EXPECT_EQ(received, tar);
  EXPECT_GE(pieces, 5u);  // never held as one block
  ASSERT_EQ(fake_->requests().size(), 1u);
  EXPECT_EQ(fake_->requests()[0].method(), boost::beast::http::verb::get);
  EXPECT_EQ(fake_->requests()[0].target(), "/v1.41/containers/abc123/export");
}

TEST_F(DockerExportTest, ContentLengthBodyWorksToo) {
  const std::string tar = tar_like_bytes(70 * 1024);
  engine([&](const fake::Request&) { return fake::Reply{fake::http_response(200, "OK", tar, "application/x-tar")}; });
  std::string received;
  std::size_t pieces = 0;
  const auto size = fake::run(io_, export_into(received, pieces));
  ASSERT_TRUE(size) << size.error().message;
  EXPECT_EQ(received, tar);
}

TEST_F(DockerExportTest, SinkErrorStopsTheTransferWithItsCode) {
  const std::string tar = tar_like_bytes(512 * 1024);
  engine([&](const fake::Request&) { return fake::Reply{fake::chunked_response(200, tar, 16)}; });
  std::size_t seen = 0;
  DockerClient::ExportSink sink = [&](std::string_view piece) -> Result<void> {
    seen += piece.size();
    if (seen > 100 * 1024) return fail("too big", 27);
    return {};
  };
  auto exported = [&]() -> asio::awaitable<Result<std::uint64_t>> {
    co_return co_await client_->export_container("abc123", std::move(sink), 5s);
  };
  const auto size = fake::run(io_, exported());
  ASSERT_FALSE(size);
  EXPECT_EQ(size.error().code, 27);
  EXPECT_EQ(size.error().message, "too big");
  EXPECT_LT(seen, tar.size());
}

TEST_F(DockerExportTest, RefusalCarriesDockersMessage) {
  engine([](const fake::Request&) {
    return fake::Reply{fake::http_response(404, "Not Found", R"({"message":"No such container: abc123"})")};
  });
  std::string received;
  std::size_t pieces = 0;
  const auto size = fake::run(io_, export_into(received, pieces));
  ASSERT_FALSE(size);
  EXPECT_EQ(size.error().code, 404);
  EXPECT_NE(size.error().message.find("No such container"), std::string::npos);
  EXPECT_TRUE(received.empty());
}

TEST_F(DockerExportTest, StuckTransferTimesOut) {
  engine([](const fake::Request&) {
    // Headers and a first chunk, then nothing more.
    return fake::Reply{"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n", fake::Reply::After::hold};
  });
  std::string received;
  std::size_t pieces = 0;
  const auto size = fake::run(io_, export_into(received, pieces, 300ms));
  ASSERT_FALSE(size);
  EXPECT_NE(size.error().message.find("timed out"), std::string::npos);
}

TEST_F(DockerExportTest, EmptyIdIsRefusedWithoutARequest) {
  engine([](const fake::Request&) { return fake::Reply{}; });
  DockerClient::ExportSink sink = [](std::string_view) -> Result<void> { return {}; };
  auto exported = [&]() -> asio::awaitable<Result<std::uint64_t>> {
    co_return co_await client_->export_container("", std::move(sink), 5s);
  };
  EXPECT_FALSE(fake::run(io_, exported()));
  EXPECT_TRUE(fake_->requests().empty());
}

}  // namespace
}  // namespace hermes::sandbox
