#include "app/gzip_file_writer.hpp"

#include <unistd.h>

#include <array>
#include <cerrno>
#include <system_error>

namespace hermes::app {
namespace {

// 15 bits of window, +16 asks zlib for a gzip header and trailer instead of a zlib one.
constexpr int kGzipWindowBits = 15 + 16;
constexpr int kMemoryLevel = 8;  // zlib's default
constexpr std::size_t kOutputChunk = 64 * 1024;

std::string errno_text() { return std::system_category().message(errno); }

}  // namespace

Result<std::unique_ptr<GzipFileWriter>> GzipFileWriter::create(const std::string& path) {
  auto file = open_output_file(path, OpenMode::truncate, "export");
  if (!file) return std::unexpected(std::move(file.error()));
  std::unique_ptr<GzipFileWriter> writer(new GzipFileWriter(std::move(*file), path));
  // Fastest level: exports run on the server's own threads, and a container's files are mostly
  // the image's, which compress well at any level.
  if (deflateInit2(&writer->zs_, Z_BEST_SPEED, Z_DEFLATED, kGzipWindowBits, kMemoryLevel,
                   Z_DEFAULT_STRATEGY) != Z_OK) {
    return fail("cannot start gzip compression for " + path);
  }
  writer->initialised_ = true;
  return writer;
}

GzipFileWriter::~GzipFileWriter() {
  if (initialised_) deflateEnd(&zs_);
}

Result<void> GzipFileWriter::deflate_some(int flush) {
  std::array<unsigned char, kOutputChunk> out;
  for (;;) {
    zs_.next_out = out.data();
    zs_.avail_out = static_cast<uInt>(out.size());
    const int rc = deflate(&zs_, flush);
    if (rc == Z_STREAM_ERROR) return fail("gzip compression failed for " + path_);
    const std::size_t produced = out.size() - zs_.avail_out;
    if (produced > 0) {
      if (std::fwrite(out.data(), 1, produced, file_.get()) != produced) {
        return fail("cannot write " + path_ + ": " + errno_text(), errno);
      }
      sha_.update(std::string_view(reinterpret_cast<const char*>(out.data()), produced));
      compressed_bytes_ += produced;
    }
    // Without flushing, room left over means all input was taken; a full buffer may mean more
    // output is waiting. Finishing goes on until the stream's end is written.
    if (flush == Z_FINISH ? rc == Z_STREAM_END : zs_.avail_out != 0) return {};
  }
}

Result<void> GzipFileWriter::write(std::string_view piece) {
  if (!file_) return fail("export " + path_ + " is already closed");
  zs_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(piece.data()));
  zs_.avail_in = static_cast<uInt>(piece.size());
  auto done = deflate_some(Z_NO_FLUSH);
  zs_.next_in = nullptr;
  zs_.avail_in = 0;
  return done;
}

Result<void> GzipFileWriter::finish() {
  if (!file_) return fail("export " + path_ + " is already closed");
  if (auto done = deflate_some(Z_FINISH); !done) return done;
  if (std::fflush(file_.get()) != 0 || ::fsync(::fileno(file_.get())) != 0) {
    return fail("cannot write " + path_ + ": " + errno_text(), errno);
  }
  if (std::fclose(file_.release()) != 0) return fail("cannot close " + path_ + ": " + errno_text(), errno);
  return {};
}

}  // namespace hermes::app
