// hermes-init's /etc/passwd and /etc/group parsing must survive any bytes (an attacker may have
// rewritten both files in a kept container) and keep its promises:
//   - find_account / find_group_id never yield (uid_t)-1, and what they find has the name asked;
//   - next_free_id stays within 1000..59999 and is used by no entry either parser can see;
//   - an entry appended the way resolve_login_account appends one is found afterwards (unless an
//     earlier entry of that name already exists) and its id is then no longer free.
// Input: passwd text, a 0xFF byte, group text (no 0xFF: the whole input is passwd).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "init/accounts.hpp"

namespace {

using hermes::init::find_account;
using hermes::init::find_group_id;
using hermes::init::next_free_id;

constexpr unsigned kNoId = 0xffffffffu;

void require(bool condition) {
  if (!condition) std::abort();
}

// The first field of every line: the names worth asking the parsers about. Capped so a file of
// a million short lines does not make one input take minutes.
std::vector<std::string_view> first_fields(std::string_view text) {
  std::vector<std::string_view> names;
  std::size_t pos = 0;
  while (pos < text.size() && names.size() < 64) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view line = text.substr(pos, end - pos);
    names.push_back(line.substr(0, line.find(':')));
    pos = end + 1;
  }
  return names;
}

void check_lookups(std::string_view passwd, std::string_view group) {
  for (std::string_view name : first_fields(passwd)) {
    if (auto account = find_account(passwd, name)) {
      require(account->name == name);
      require(account->uid != kNoId && account->gid != kNoId);
      // Fields come from one line split at ':': none may span a line or hold a separator.
      for (const std::string* field : {&account->home, &account->shell}) {
        require(field->find('\n') == std::string::npos && field->find(':') == std::string::npos);
      }
    }
  }
  for (std::string_view name : first_fields(group)) {
    if (auto gid = find_group_id(group, name)) require(*gid != kNoId);
  }
}

void check_free_id(std::string_view passwd, std::string_view group, unsigned id) {
  require(id >= 1000 && id <= 59999);
  for (std::string_view name : first_fields(passwd)) {
    if (auto account = find_account(passwd, name)) {
      require(account->uid != id && account->gid != id);
    }
  }
  for (std::string_view name : first_fields(group)) {
    if (auto gid = find_group_id(group, name)) require(*gid != id);
  }
}

// What create_account writes: a separating '\n' when the file lacks a final one, then the entry.
std::string with_appended(std::string_view text, const std::string& entry) {
  std::string out(text);
  if (!out.empty() && out.back() != '\n') out += '\n';
  return out + entry;
}

void check_creation(std::string_view passwd, std::string_view group, unsigned id) {
  const std::string name = "fuzzuser";
  const bool existed = find_account(passwd, name).has_value();
  const std::string after = with_appended(
      passwd, name + ":x:" + std::to_string(id) + ":" + std::to_string(id) + ":" + name +
                  ",,,:/home/" + name + ":/bin/sh\n");
  auto found = find_account(after, name);
  require(found.has_value());
  if (!existed) require(found->uid == id && found->gid == id && found->home == "/home/fuzzuser");
  const auto next = next_free_id(after, group);
  require(!next || *next != id);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::size_t split = input.find('\xff');
  const std::string_view passwd = input.substr(0, split);
  const std::string_view group =
      split == std::string_view::npos ? std::string_view() : input.substr(split + 1);

  for (std::string_view name : first_fields(passwd)) {
    // A valid name is short and made of [a-z0-9_-] only: never a path or a passwd separator.
    if (hermes::init::is_valid_user_name(name)) {
      require(!name.empty() && name.size() <= 32);
      require(name.find_first_of(":/.\n ") == std::string_view::npos);
    }
  }
  check_lookups(passwd, group);
  if (auto id = next_free_id(passwd, group)) {
    check_free_id(passwd, group, *id);
    check_creation(passwd, group, *id);
  }
  return 0;
}
