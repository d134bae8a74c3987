#pragma once
// What a terminal shows when the machine goes down under a logged-in user: systemd-logind's
// wall broadcast on Debian 12. Hermes sends it before ending a session for a limit (disk full),
// so the attacker sees an ordinary reboot rather than a sensor's rule.
#include <chrono>
#include <string>
#include <string_view>

namespace hermes::session {

// "\r\nBroadcast message from root@HOST (Mon 2024-01-01 12:00:00 UTC):\r\n\r\n
//  The system will reboot now!\r\n" -- CRLF throughout, as wall writes to a terminal.
std::string reboot_broadcast(std::string_view hostname, std::chrono::system_clock::time_point now);

}  // namespace hermes::session
