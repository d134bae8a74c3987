#include "sandbox/tar_listing.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "sandbox/tar_writer.hpp"

namespace hermes::sandbox {
namespace {

namespace fs = std::filesystem;

TarRead reader_of(const std::string& data) {
  auto offset = std::make_shared<std::size_t>(0);
  return [&data, offset](char* buffer, std::size_t size) -> Result<std::size_t> {
    const std::size_t n = std::min(size, data.size() - *offset);
    std::copy_n(data.data() + *offset, n, buffer);
    *offset += n;
    return n;
  };
}

std::string sample_archive() {
  TarWriter tar(1700000000);
  EXPECT_TRUE(tar.add_directory("etc", 0755));
  EXPECT_TRUE(tar.add_file("etc/passwd", "root:x:0:0::/root:/bin/bash\n", 0644));
  EXPECT_TRUE(tar.add_symlink("sbin", "usr/sbin"));
  EXPECT_TRUE(tar.add_directory("usr/sbin", 0755));
  EXPECT_TRUE(tar.add_file("usr/sbin/big", std::string(5000, 'x'), 0755));
  return std::move(tar).finish();
}

TEST(TarListing, FindsEndDirectoriesSymlinksAndCaptures) {
  const std::string archive = sample_archive();
  auto listing = list_tar(reader_of(archive), {"etc/passwd"});
  ASSERT_TRUE(listing) << listing.error().message;
  EXPECT_EQ(listing->end_offset, archive.size() - 1024);  // TarWriter's marker: two zero blocks
  EXPECT_EQ(listing->entries, 5u);
  EXPECT_TRUE(listing->directories.contains("etc"));
  EXPECT_TRUE(listing->directories.contains("usr/sbin"));
  EXPECT_EQ(listing->symlinks.at("sbin"), "usr/sbin");
  EXPECT_EQ(listing->captured.at("etc/passwd"), "root:x:0:0::/root:/bin/bash\n");
  // Each entry's bytes (header and padded content), to leave out when the tail replaces it.
  EXPECT_EQ(listing->spans.at("etc"), (std::pair<std::uint64_t, std::uint64_t>{0, 512}));
  EXPECT_EQ(listing->spans.at("etc/passwd"), (std::pair<std::uint64_t, std::uint64_t>{512, 1536}));
}

TEST(TarListing, TruncatedOrDamagedArchivesAreErrors) {
  std::string archive = sample_archive();
  EXPECT_FALSE(list_tar(reader_of(archive.substr(0, archive.size() - 1024)), {}));  // no marker
  EXPECT_FALSE(list_tar(reader_of(archive.substr(0, 700)), {}));                    // mid-block
  std::string damaged = archive;
  damaged[3] ^= 0x20;  // name changes, checksum no longer matches
  EXPECT_FALSE(list_tar(reader_of(damaged), {}));
  EXPECT_FALSE(list_tar(reader_of(std::string(1024, 'x')), {}));
}

TEST(TarListing, CaptureIsBounded) {
  const std::string archive = sample_archive();
  TarListingLimits limits;
  limits.max_captured_bytes = 100;
  EXPECT_FALSE(list_tar(reader_of(archive), {"usr/sbin/big"}, limits));
}

TEST(TarListing, NormalizesPaths) {
  EXPECT_EQ(normalize_tar_path("./etc//passwd/"), "etc/passwd");
  EXPECT_EQ(normalize_tar_path("./"), "");
  EXPECT_EQ(normalize_tar_path("."), "");
  EXPECT_EQ(normalize_tar_path("/usr/./bin"), "usr/bin");
}

// What the image build really reads: GNU tar's POSIX (pax) and GNU formats, long names included.
TEST(TarListing, ReadsArchivesOfGnuTar) {
  std::string tmpl = (fs::temp_directory_path() / "tar_listing_test.XXXXXX").string();
  const fs::path dir = mkdtemp(tmpl.data());
  const std::string long_dir = "a-directory-with-a-rather-long-name-" + std::string(80, 'd');
  fs::create_directories(dir / "root" / long_dir);
  std::ofstream(dir / "root" / long_dir / "file") << "content";
  std::ofstream(dir / "root" / "group") << "root:x:0:\nadm:x:4:\n";
  fs::create_symlink("../" + std::string(120, 't'), dir / "root" / "link");
  for (const std::string format : {"posix", "gnu"}) {
    const fs::path archive = dir / (format + ".tar");
    const std::string command = "tar --create --format=" + format + " --file=" + archive.string() +
                                " --directory=" + (dir / "root").string() + " .";
    ASSERT_EQ(std::system(command.c_str()), 0);
    std::ifstream in(archive, std::ios::binary);
    const std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto listing = list_tar(reader_of(data), {"group"});
    ASSERT_TRUE(listing) << format << ": " << listing.error().message;
    EXPECT_TRUE(listing->directories.contains(long_dir)) << format;
    EXPECT_EQ(listing->symlinks.at("link"), "../" + std::string(120, 't')) << format;
    EXPECT_EQ(listing->captured.at("group"), "root:x:0:\nadm:x:4:\n") << format;
    EXPECT_LT(listing->end_offset, data.size());
    EXPECT_EQ(listing->end_offset % 512, 0u);
  }
  fs::remove_all(dir);
}

}  // namespace
}  // namespace hermes::sandbox
