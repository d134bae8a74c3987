#include "session/wall_message.hpp"

#include <ctime>

namespace hermes::session {

std::string reboot_broadcast(std::string_view hostname, std::chrono::system_clock::time_point now) {
  // systemd's timestamp format ("%a %Y-%m-%d %H:%M:%S %Z"); containers run in UTC.
  const std::time_t t = std::chrono::system_clock::to_time_t(now);
  std::tm utc{};
  gmtime_r(&t, &utc);
  char when[64];
  const std::size_t n = std::strftime(when, sizeof when, "%a %Y-%m-%d %H:%M:%S UTC", &utc);
  std::string text = "\r\nBroadcast message from root@";
  text += hostname;
  text += " (";
  text.append(when, n);
  text += "):\r\n\r\nThe system will reboot now!\r\n";
  return text;
}

}  // namespace hermes::session
