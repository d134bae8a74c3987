#pragma once
#include <memory>
#include <string>
#include <string_view>

namespace hermes {

// Incremental SHA-256 (OpenSSL EVP), lowercase hex digest.
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  void update(std::string_view bytes);
  std::string hex_digest();  // finalises; further updates start nothing new

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

std::string sha256_hex(std::string_view bytes);

}  // namespace hermes
