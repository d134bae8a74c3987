#include "sandbox/tar_reader.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "sandbox/tar_writer.hpp"
#include "unit/record/test_files.hpp"

namespace hermes::sandbox {
namespace {

namespace fs = std::filesystem;

struct Seen {
  std::string name;
  char type;
  std::uint64_t size;
  std::string data;
  bool ended = false;
};

// Reads `archive` fed in pieces of `step` bytes; every entry with its content.
struct Collect {
  std::vector<Seen> entries;
  TarReader reader{TarReader::Handler{
      [this](const TarEntry& e) -> Result<void> {
        entries.push_back({e.name, e.type, e.size, "", false});
        return {};
      },
      [this](std::string_view bytes) -> Result<void> {
        entries.back().data.append(bytes);
        return {};
      },
      [this](const TarEntry&) -> Result<void> {
        entries.back().ended = true;
        return {};
      }}};

  Result<void> feed(std::string_view archive, std::size_t step) {
    for (std::size_t at = 0; at < archive.size(); at += step)
      if (auto ok = reader.feed(archive.substr(at, step)); !ok) return ok;
    return {};
  }
};

std::string sample_archive() {
  TarWriter writer(1700000000);
  EXPECT_TRUE(writer.add_directory("root", 0700));
  EXPECT_TRUE(writer.add_file("root/x.sh", "#!/bin/sh\necho pwned\n", 0755));
  EXPECT_TRUE(writer.add_symlink("root/link", "/etc/shadow"));
  EXPECT_TRUE(writer.add_file("root/empty", "", 0644));
  EXPECT_TRUE(writer.add_file("root/big", std::string(1500, 'z'), 0644));
  return std::move(writer).finish();
}

TEST(TarReader, ReportsEveryEntryAndOnlyRegularContent) {
  for (std::size_t step : {std::size_t{1}, std::size_t{7}, std::size_t{512}, std::size_t{1} << 20}) {
    Collect c;
    ASSERT_TRUE(c.feed(sample_archive(), step)) << step;
    EXPECT_TRUE(c.reader.finished());
    ASSERT_EQ(c.entries.size(), 5u);
    EXPECT_EQ(c.entries[0].name, "root/");
    EXPECT_EQ(c.entries[0].type, '5');
    EXPECT_EQ(c.entries[1].name, "root/x.sh");
    EXPECT_TRUE(c.entries[1].ended);
    EXPECT_EQ(c.entries[1].data, "#!/bin/sh\necho pwned\n");
    EXPECT_EQ(c.entries[2].type, '2');
    EXPECT_EQ(c.entries[2].data, "");  // a symlink's target is never handed over as content
    EXPECT_EQ(c.entries[3].size, 0u);
    EXPECT_TRUE(c.entries[3].ended);
    EXPECT_EQ(c.entries[4].data, std::string(1500, 'z'));
  }
}

TEST(TarReader, RejectsABadChecksum) {
  std::string archive = sample_archive();
  archive[10] ^= 0x20;  // inside the first name
  Collect c;
  EXPECT_FALSE(c.feed(archive, 512));
  EXPECT_FALSE(c.reader.feed("more"));  // stays failed
}

TEST(TarReader, TruncatedArchiveIsNotFinished) {
  const std::string archive = sample_archive();
  Collect c;
  ASSERT_TRUE(c.feed(archive.substr(0, 1024 + 5), 100));  // inside /root/x.sh's content
  EXPECT_FALSE(c.reader.finished());
  EXPECT_GT(c.reader.remaining(), 0u);
}

TEST(TarReader, HandlerErrorStopsTheReader) {
  TarReader reader(TarReader::Handler{[](const TarEntry&) -> Result<void> { return fail("enough"); }, nullptr, nullptr});
  auto fed = reader.feed(sample_archive());
  ASSERT_FALSE(fed);
  EXPECT_EQ(fed.error().message, "enough");
}

// Builds one raw header block with a correct checksum.
std::string header(std::string_view name, char type, std::string_view size_field) {
  std::string block(512, '\0');
  block.replace(0, name.size(), name);
  block.replace(124, size_field.size(), size_field);
  block[156] = type;
  block.replace(257, 6, std::string("ustar\0", 6));
  block.replace(148, 8, "        ");
  unsigned sum = 0;
  for (unsigned char c : block) sum += c;
  char field[8];
  std::snprintf(field, sizeof field, "%06o", sum);
  block.replace(148, 7, std::string(field, 7));
  return block;
}

std::string padded(std::string data) {
  data.resize((data.size() + 511) / 512 * 512, '\0');
  return data;
}

TEST(TarReader, PaxPathAndSizeApplyToTheNextEntry) {
  const std::string long_name = std::string(300, 'a') + "/../../etc/evil";
  const std::string item = "path=" + long_name + "\n";
  std::string record = std::to_string(item.size() + 4) + " " + item;  // 3-digit length + space
  ASSERT_EQ(record.size(), item.size() + 4);
  std::string archive = header("PaxHeaders/x", 'x', [&] {
    char f[12];
    std::snprintf(f, sizeof f, "%011o", static_cast<unsigned>(record.size()));
    return std::string(f);
  }());
  archive += padded(record);
  archive += header("short", '0', "00000000003");
  archive += padded("abc");
  archive += std::string(1024, '\0');
  Collect c;
  ASSERT_TRUE(c.feed(archive, 13));
  ASSERT_EQ(c.entries.size(), 1u);
  EXPECT_EQ(c.entries[0].name, long_name);  // reported, never interpreted as a path
  EXPECT_EQ(c.entries[0].data, "abc");
}

TEST(TarReader, RejectsOversizedOrMalformedMetadata) {
  {
    Collect c;
    EXPECT_FALSE(c.feed(header("PaxHeaders/x", 'x', "77777777777"), 512));
  }
  {
    Collect c;
    std::string archive = header("PaxHeaders/x", 'x', "00000000012");
    archive += padded("9999 path=");
    EXPECT_FALSE(c.feed(archive, 512));
  }
  {
    Collect c;  // a NUL inside a pax path
    const std::string item = std::string("path=a\0b\n", 9);
    const std::string record = std::to_string(item.size() + 3) + " " + item;
    char f[12];
    std::snprintf(f, sizeof f, "%011o", static_cast<unsigned>(record.size()));
    std::string archive = header("PaxHeaders/x", 'x', f) + padded(record);
    EXPECT_FALSE(c.feed(archive, 512));
  }
}

TEST(TarReader, Base256SizeAndHeaderOnlyTypes) {
  std::string size(12, '\0');
  size[0] = static_cast<char>(0x80);
  size[11] = 5;
  std::string archive = header("b256", '0', size) + padded("12345");
  archive += header("dir/", '5', "00000001000");  // a directory's size carries no content
  archive += header("after", '0', "00000000001") + padded("Z");
  archive += std::string(512, '\0');
  Collect c;
  ASSERT_TRUE(c.feed(archive, 512));
  ASSERT_EQ(c.entries.size(), 3u);
  EXPECT_EQ(c.entries[0].data, "12345");
  EXPECT_EQ(c.entries[1].size, 0u);
  EXPECT_EQ(c.entries[2].data, "Z");
}

// Archives written by GNU tar in the formats Go's archive/tar (Docker) also produces.
TEST(TarReader, ReadsRealTarOutputWithLongNames) {
  testing::TempDir scratch;
  const fs::path dir = scratch.path();
  const std::string deep = std::string(120, 'd') + "/" + std::string(90, 'f');
  fs::create_directories(dir / std::string(120, 'd'));
  std::ofstream(dir / deep) << "payload";
  for (const char* format : {"pax", "gnu"}) {
    const std::string command = "tar -C " + dir.string() + " --format=" + format + " -cf - " + deep;
    FILE* pipe = popen(command.c_str(), "r");
    ASSERT_NE(pipe, nullptr);
    std::string archive;
    char buffer[4096];
    while (std::size_t n = std::fread(buffer, 1, sizeof buffer, pipe)) archive.append(buffer, n);
    ASSERT_EQ(pclose(pipe), 0);
    Collect c;
    ASSERT_TRUE(c.feed(archive, 333)) << format;
    ASSERT_EQ(c.entries.size(), 1u) << format;
    EXPECT_EQ(c.entries[0].name, deep) << format;
    EXPECT_EQ(c.entries[0].data, "payload") << format;
  }
}

}  // namespace
}  // namespace hermes::sandbox
