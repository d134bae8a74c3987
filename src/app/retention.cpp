#include "app/retention.hpp"

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "common/log.hpp"
#include "record/iso8601_parse.hpp"
#include "sandbox/container_names.hpp"

namespace hermes::app {

namespace {
bool is_session_id(std::string_view text) {
  if (text.size() != 12) return false;
  for (char c : text)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}
}  // namespace

std::string ContainerRetention::session_of(std::string_view name) const {
  if (!name.empty() && name.front() == '/') name.remove_prefix(1);
  const std::string prefix = "hermes-" + sandbox::sanitize_name_part(sensor_) + "-";
  if (name.size() != prefix.size() + 12 || name.substr(0, prefix.size()) != prefix) return {};
  const auto id = name.substr(prefix.size());
  return is_session_id(id) ? std::string(id) : std::string();
}

asio::awaitable<int> ContainerRetention::sweep(std::chrono::system_clock::time_point now) {
  const auto keep = std::chrono::hours(24) * keep_days_;
  auto listed = co_await docker_.list_containers("hermes.sensor=" + sensor_, true);
  if (!listed) {
    log::warn("retention", "cannot list containers: " + listed.error().message);
    co_return 0;
  }
  int removed = 0;
  for (const auto& entry : *listed) {
    if (!entry.is_object()) continue;
    const std::string state = entry.value("State", "");
    if (state != "exited" && state != "dead") continue;
    const auto& names = entry["Names"];
    if (!names.is_array() || names.empty() || !names[0].is_string()) continue;
    const std::string name = names[0].get<std::string>();
    const std::string session = session_of(name);
    if (session.empty()) continue;
    // A container created less than `keep` ago cannot have stopped longer ago than that.
    const auto created = std::chrono::system_clock::time_point(std::chrono::seconds(entry.value("Created", int64_t{0})));
    if (now - created < keep) continue;
    const std::string id = entry.value("Id", "");
    auto inspected = co_await docker_.inspect_container(id);
    if (!inspected) continue;
    const auto& st = (*inspected)["State"];
    const auto finished = record::parse_iso8601(st.is_object() ? st.value("FinishedAt", "") : "");
    if (!finished || now - *finished < keep) continue;
    auto gone = co_await docker_.remove_container(id, false);
    if (!gone) {
      log::warn("retention", "cannot remove " + name + ": " + gone.error().message);
      continue;
    }
    ++removed;
    events::Event event;
    event.eventid = "hermes.container.removed";
    event.connection.session = session;
    event.message = "Removed stopped container " + name.substr(1) + " after " +
                    std::to_string(keep_days_) + " days (retention)";
    event.fields = {{"container_id", id}, {"container_name", name.substr(1)}, {"reason", "retention"},
                    {"stopped_at", st.value("FinishedAt", "")}};
    bus_.publish(event);
  }
  if (removed > 0) log::info("retention", "removed " + std::to_string(removed) + " expired session containers");
  co_return removed;
}

asio::awaitable<void> ContainerRetention::run(std::chrono::seconds interval) {
  if (keep_days_ <= 0) co_return;
  asio::steady_timer timer(co_await asio::this_coro::executor);
  for (;;) {
    co_await sweep(std::chrono::system_clock::now());
    timer.expires_after(interval);
    boost::system::error_code ec;
    co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return;  // cancelled: shutting down
  }
}

}  // namespace hermes::app
