#include "ssh/persona.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "ssh/libssh_handles.hpp"

namespace hermes::ssh {
namespace {

// The persona's own sshd_config, shipped in the Debian target image.
std::filesystem::path sshd_config_path() {
  return std::filesystem::path(__FILE__).parent_path() / "../../../images/debian/overlay/etc/ssh/sshd_config";
}

// Uncommented "Keyword value" lines of an sshd_config.
std::map<std::string, std::string> directives(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::map<std::string, std::string> out;
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream words(line);
    std::string keyword, value;
    if (!(words >> keyword >> value) || keyword.starts_with("#")) continue;
    out[keyword] = value;
  }
  return out;
}

TEST(Persona, ListsAreTheSshdConfigOfTheImage) {
  const auto config = directives(sshd_config_path());
  ASSERT_FALSE(config.empty()) << sshd_config_path();
  EXPECT_EQ(config.at("KexAlgorithms"), persona::kKeyExchange);
  EXPECT_EQ(config.at("Ciphers"), persona::kCiphers);
  EXPECT_EQ(config.at("MACs"), persona::kMacs);
  EXPECT_EQ(config.at("MaxAuthTries"), "6");        // server.max_auth_tries' default
  EXPECT_EQ(config.at("LoginGraceTime"), "2m");  // 120 s, server.login_grace_time's default
  EXPECT_EQ(config.at("KbdInteractiveAuthentication"), "no");
  EXPECT_EQ(config.at("UsePAM"), "yes");            // the failure delay is PAM's
}

TEST(Persona, ListsHaveNoLibsshTells) {
  for (std::string_view list : {persona::kKeyExchange, persona::kCiphers, persona::kMacs, persona::kHostKeyAlgorithms,
                                 persona::kServerSigAlgs}) {
    EXPECT_FALSE(list.empty());
    EXPECT_NE(list.back(), ',') << list;
    EXPECT_EQ(list.find(",,"), std::string_view::npos) << list;
    EXPECT_EQ(list.find("umac"), std::string_view::npos) << list;   // libssh 0.10 has none
    EXPECT_EQ(list.find("sntrup"), std::string_view::npos) << list;
    EXPECT_EQ(list.find("kex-strict"), std::string_view::npos) << list;  // libssh appends it
  }
  // sshd 9.2p1 does not offer ssh-rsa signatures by default.
  EXPECT_EQ(std::string_view(persona::kHostKeyAlgorithms).find("ssh-rsa"), std::string_view::npos);
}

TEST(Persona, LibsshAcceptsEveryList) {
  BindPtr bind(ssh_bind_new());
  ASSERT_TRUE(bind);
  const auto applied = persona::apply_algorithms(bind.get());
  EXPECT_TRUE(applied.has_value()) << (applied ? "" : applied.error().message);
}

}  // namespace
}  // namespace hermes::ssh
