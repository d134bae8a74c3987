// build_container_spec (declared in container_pool.hpp): the Docker create body of a pool
// container, i.e. where the configured security profile becomes Engine API fields.
#include <cmath>

#include "common/init_path.hpp"
#include "sandbox/container_pool.hpp"

namespace hermes::sandbox {

Json build_container_spec(const config::Config& config, const std::string& sensor, const std::string& image) {
  const auto& pool = config.container_pool;
  const auto& security = pool.security;

  Json host{
      {"NetworkMode", security.network_mode},
      {"CapDrop", security.capabilities.drop},
      {"CapAdd", security.capabilities.add},
      // As configured and nothing more: without a "seccomp=" entry Docker applies its default
      // profile, which is what we want.
      {"SecurityOpt", security.security_opt},
      // Attacker output must not fill Docker's log files; Hermes records sessions itself.
      {"LogConfig", {{"Type", "none"}, {"Config", Json::object()}}},
      // A session container is stopped and kept for forensics: never restarted, never removed
      // behind our back.
      {"RestartPolicy", {{"Name", "no"}, {"MaximumRetryCount", 0}}},
      {"AutoRemove", false},
      // PID 1 is our own init; Docker's tini would sit in front of it and show in `ps`.
      {"Init", false},
      {"Privileged", false},
      // A cgroup namespace of its own: /proc/self/cgroup shows "/" instead of /docker/<id>.
      {"CgroupnsMode", "private"},
  };
  if (security.memory_limit_bytes > 0) {
    host["Memory"] = security.memory_limit_bytes;
    host["MemorySwap"] = security.memory_limit_bytes;  // equal to Memory: no swap on top
  }
  if (security.cpu_quota > 0) {
    host["NanoCpus"] = static_cast<int64_t>(std::llround(security.cpu_quota * 1e9));
  }
  if (security.pids_limit > 0) host["PidsLimit"] = security.pids_limit;
  if (security.disk_limit_bytes > 0) {
    // Defence in depth for the disk limit, which Hermes enforces by polling the writable
    // layer's size: RLIMIT_FSIZE (bytes) stops any single file at the limit even between two
    // polls (the writer gets SIGXFSZ / EFBIG). Visible as `ulimit -f`; many files together are
    // still only bounded by the polling.
    host["Ulimits"] = Json::array(
        {Json{{"Name", "fsize"}, {"Soft", security.disk_limit_bytes}, {"Hard", security.disk_limit_bytes}}});
  }
  // Unset means the engine's default runtime (runc); "runsc" puts the sandbox under gVisor's own
  // kernel. The engine refuses a runtime it does not know, so the server checks it at start.
  if (!security.runtime.empty()) host["Runtime"] = security.runtime;
  std::string tmp_options = "rw,nosuid,nodev";
  if (security.tmpfs_size_bytes > 0) tmp_options += ",size=" + std::to_string(security.tmpfs_size_bytes);
  host["Tmpfs"] = Json{{"/tmp", tmp_options}};

  return Json{
      {"Image", image.empty() ? pool.image : image},
      {"Cmd", Json::array({kInitPath})},
      // hermes-init waits on a TTY that stays open between attaches (see src/init/).
      {"Tty", true},
      {"OpenStdin", true},
      {"StdinOnce", false},
      {"AttachStdin", true},
      {"AttachStdout", true},
      {"AttachStderr", true},
      {"Hostname", pool.hostname},
      {"Labels", {{"hermes.sensor", sensor}, {"hermes.role", "pool"}}},
      {"HostConfig", std::move(host)},
  };
}

}  // namespace hermes::sandbox
