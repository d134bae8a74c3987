#include "app/gzip_file_writer.hpp"

#include <gtest/gtest.h>
#include <unistd.h>
#include <zlib.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace hermes::app {
namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream all;
  all << in.rdbuf();
  return all.str();
}

std::string gunzip(const std::string& path) {
  gzFile in = gzopen(path.c_str(), "rb");
  std::string out;
  char buffer[4096];
  int n;
  while ((n = gzread(in, buffer, sizeof buffer)) > 0) out.append(buffer, static_cast<std::size_t>(n));
  gzclose(in);
  return out;
}

TEST(GzipFileWriter, WritesAGzipFileWhoseDigestAndSizeAreReported) {
  char pattern[] = "/tmp/hermes-gzip-XXXXXX";
  ASSERT_NE(::mkdtemp(pattern), nullptr);
  const std::string path = std::string(pattern) + "/out.tar.gz";
  std::string expected;
  {
    auto writer = GzipFileWriter::create(path);
    ASSERT_TRUE(writer.has_value()) << writer.error().message;
    // More than one output buffer's worth of poorly compressible bytes, in uneven pieces.
    std::uint32_t state = 12345;
    for (int piece = 0; piece < 40; ++piece) {
      std::string bytes(1000 + piece * 997, '\0');
      for (auto& c : bytes) {
        state = state * 1103515245 + 12345;
        c = static_cast<char>(state >> 24);
      }
      expected += bytes;
      ASSERT_TRUE((*writer)->write(bytes).has_value());
    }
    ASSERT_TRUE((*writer)->finish().has_value());
    const std::string on_disk = read_file(path);
    EXPECT_EQ((*writer)->compressed_bytes(), on_disk.size());
    EXPECT_EQ((*writer)->hex_digest(), sha256_hex(on_disk));
    EXPECT_FALSE((*writer)->write("late").has_value());
  }
  EXPECT_EQ(gunzip(path), expected);
  std::filesystem::remove_all(pattern);
}

TEST(GzipFileWriter, RefusesToWriteThroughASymlink) {
  char pattern[] = "/tmp/hermes-gzip-XXXXXX";
  ASSERT_NE(::mkdtemp(pattern), nullptr);
  const std::string link = std::string(pattern) + "/export.tar.gz";
  std::filesystem::create_symlink(std::string(pattern) + "/elsewhere", link);
  EXPECT_FALSE(GzipFileWriter::create(link).has_value());
  std::filesystem::remove_all(pattern);
}

}  // namespace
}  // namespace hermes::app
