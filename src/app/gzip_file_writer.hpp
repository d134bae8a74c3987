#pragma once
// Writes a gzip file (zlib's deflate with a gzip header) from pieces handed to it, hashing and
// counting the compressed bytes as they go to disk so the digest needs no second read.
#include <zlib.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "common/output_file.hpp"
#include "common/result.hpp"
#include "common/sha256.hpp"

namespace hermes::app {

class GzipFileWriter {
 public:
  // Creates (or truncates) `path` with mode 0640, never through a symlink.
  static Result<std::unique_ptr<GzipFileWriter>> create(const std::string& path);
  ~GzipFileWriter();
  GzipFileWriter(const GzipFileWriter&) = delete;
  GzipFileWriter& operator=(const GzipFileWriter&) = delete;

  Result<void> write(std::string_view piece);
  // Ends the gzip stream, flushes and fsyncs the file, closes it.
  Result<void> finish();

  std::uint64_t compressed_bytes() const { return compressed_bytes_; }
  std::string hex_digest() { return sha_.hex_digest(); }  // after finish()

 private:
  GzipFileWriter(FilePtr file, std::string path) : file_(std::move(file)), path_(std::move(path)) {}
  Result<void> deflate_some(int flush);

  FilePtr file_;
  std::string path_;
  z_stream zs_{};
  bool initialised_ = false;
  Sha256 sha_;
  std::uint64_t compressed_bytes_ = 0;
};

}  // namespace hermes::app
