#include "sandbox/overlay_layer.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>

namespace hermes::sandbox {
namespace {

namespace fs = std::filesystem;

struct Overlay {
  fs::path dir;
  Overlay() {
    std::string tmpl = (fs::temp_directory_path() / "overlay_layer_test.XXXXXX").string();
    dir = mkdtemp(tmpl.data());
  }
  ~Overlay() { fs::remove_all(dir); }
  void file(const std::string& path, const std::string& content, fs::perms mode = fs::perms(0644)) {
    fs::create_directories((dir / path).parent_path());
    std::ofstream(dir / path) << content;
    fs::permissions(dir / path, mode);
  }
};

TarListing debian_like_base() {
  TarListing base;
  base.directories = {"etc", "home", "home/admin", "usr", "usr/sbin", "var", "var/log"};
  base.symlinks = {{"sbin", "usr/sbin"}, {"bin", "/usr/bin"}, {"var/run", "/run"}, {"etc/loop", "loop"}};
  base.captured["etc/passwd"] = "root:x:0:0::/root:/bin/bash\nadmin:x:1000:1000::/home/admin:/bin/bash\n";
  base.captured["etc/group"] = "root:x:0:\nadm:x:4:\nadmin:x:1000:\n";
  return base;
}

// Reads the tail back: path -> (uid, gid, mode, mtime, type) for each entry, via GNU tar.
std::string verbose_listing(const std::string& archive, const fs::path& dir) {
  const fs::path file = dir / "tail.tar";
  std::ofstream(file, std::ios::binary) << archive;
  const std::string command = "tar --list --verbose --numeric-owner --full-time --file=" + file.string();
  std::string out;
  FILE* pipe = popen(command.c_str(), "r");
  char buffer[4096];
  std::size_t n;
  while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) out.append(buffer, n);
  pclose(pipe);
  return out;
}

TEST(ResolveInBase, FollowsSymlinkedDirectoriesOnly) {
  const auto base = debian_like_base();
  EXPECT_EQ(resolve_in_base("sbin/init", base).value(), "usr/sbin/init");
  EXPECT_EQ(resolve_in_base("bin/bash", base).value(), "usr/bin/bash");
  EXPECT_EQ(resolve_in_base("var/run/x.pid", base).value(), "run/x.pid");
  EXPECT_EQ(resolve_in_base("sbin", base).value(), "sbin");  // the link itself is replaced
  EXPECT_EQ(resolve_in_base("etc/hostname", base).value(), "etc/hostname");
  EXPECT_FALSE(resolve_in_base("etc/loop/x", base));  // a loop ends, with an error
}

TEST(Overlay, OwnersModesAgesAndExistingDirectories) {
  Overlay overlay;
  overlay.file("home/admin/.bash_history", "ls\n");
  overlay.file("etc/config/app.env", "DB_PASSWORD=x\n");
  overlay.file("usr/local/bin/tool", "#!/bin/sh\n", fs::perms(0755));
  overlay.file("sbin/helper", "#!/bin/sh\n", fs::perms(0755));
  fs::create_symlink("../sites-available/portal", overlay.dir / "etc" / "enabled");
  const auto base = debian_like_base();
  auto rules = parse_overlay_manifest(
      "/home/admin/.bash_history admin:admin 0600 2h\n/etc/config root:adm 0750 -\n");
  ASSERT_TRUE(rules);
  OverlayInputs in;
  in.overlay_dir = overlay.dir;
  in.rules = *rules;
  in.base = &base;
  in.install_time = 1600000000;
  in.now = 1700000000;
  TarWriter tar(0);
  auto added = append_overlay(tar, in);
  ASSERT_TRUE(added) << added.error().message;
  const std::string listing = verbose_listing(std::move(tar).finish(), overlay.dir);

  // The base's own directories are not touched: /home/admin stays admin's 0700 home.
  EXPECT_EQ(listing.find(" home/admin/\n"), std::string::npos) << listing;
  EXPECT_EQ(listing.find(" etc/\n"), std::string::npos) << listing;
  EXPECT_NE(listing.find("-rw------- 1000/1000"), std::string::npos) << listing;
  EXPECT_NE(listing.find("drwxr-x--- 0/4"), std::string::npos) << listing;  // named: root:adm 0750
  EXPECT_NE(listing.find("drwxr-xr-x 0/0"), std::string::npos) << listing;  // new: usr/local/bin
  EXPECT_NE(listing.find("-rwxr-xr-x 0/0"), std::string::npos) << listing;  // keeps its x bit
  EXPECT_NE(listing.find(" usr/sbin/helper"), std::string::npos) << listing;  // through /sbin
  EXPECT_NE(listing.find("etc/enabled -> ../sites-available/portal"), std::string::npos) << listing;
  // Ages: two hours before "now" for the history; the install time for the rest.
  EXPECT_NE(listing.find("2023-11-14 20:13:20 home/admin/.bash_history"), std::string::npos) << listing;
  EXPECT_NE(listing.find("2020-09-13 12:26:40 etc/config/app.env"), std::string::npos) << listing;
}

TEST(Overlay, ManifestMustNameExistingFilesAndKnownAccounts) {
  Overlay overlay;
  overlay.file("etc/motd", "hello\n");
  const auto base = debian_like_base();
  OverlayInputs in;
  in.overlay_dir = overlay.dir;
  in.base = &base;
  in.rules = *parse_overlay_manifest("/etc/mtod root:root - -\n");
  TarWriter tar(0);
  auto typo = append_overlay(tar, in);
  ASSERT_FALSE(typo);
  EXPECT_NE(typo.error().message.find("/etc/mtod"), std::string::npos);
  in.rules = *parse_overlay_manifest("/etc/motd nobody-such:root - -\n");
  auto unknown = append_overlay(tar, in);
  ASSERT_FALSE(unknown);
  EXPECT_NE(unknown.error().message.find("nobody-such"), std::string::npos);
}

}  // namespace
}  // namespace hermes::sandbox
