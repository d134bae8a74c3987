#include <gtest/gtest.h>

#include "sandbox/container_pool.hpp"

namespace hermes::sandbox {
namespace {

TEST(ContainerSpec, DefaultsGiveTheLockedDownProfile) {
  const config::Config config;
  const Json spec = build_container_spec(config, "sensor-1");

  EXPECT_EQ(spec["Image"], config.container_pool.image);
  EXPECT_EQ(spec["Cmd"], Json::array({"/sbin/init"}));
  EXPECT_EQ(spec["Tty"], true);
  EXPECT_EQ(spec["OpenStdin"], true);
  EXPECT_EQ(spec["StdinOnce"], false);
  EXPECT_EQ(spec["AttachStdin"], true);
  EXPECT_EQ(spec["AttachStdout"], true);
  EXPECT_EQ(spec["AttachStderr"], true);
  EXPECT_EQ(spec["Hostname"], "prod-web-01");
  EXPECT_EQ(spec["Labels"], (Json{{"hermes.sensor", "sensor-1"}, {"hermes.role", "pool"}}));

  const Json& host = spec["HostConfig"];
  EXPECT_EQ(host["NetworkMode"], "none");
  EXPECT_EQ(host["Memory"], 256LL * 1024 * 1024);
  EXPECT_EQ(host["MemorySwap"], 256LL * 1024 * 1024);
  EXPECT_EQ(host["NanoCpus"], 500000000LL);
  EXPECT_EQ(host["PidsLimit"], 100);
  EXPECT_EQ(host["CapDrop"], Json::array({"ALL"}));
  EXPECT_EQ(host["CapAdd"], Json::array({"CHOWN", "SETUID", "SETGID"}));
  EXPECT_EQ(host["SecurityOpt"], Json::array({"no-new-privileges:true"}));
  EXPECT_EQ(host["Tmpfs"], (Json{{"/tmp", "rw,nosuid,nodev,size=52428800"}}));
  EXPECT_EQ(host["LogConfig"]["Type"], "none");
  EXPECT_EQ(host["RestartPolicy"]["Name"], "no");
  EXPECT_EQ(host["AutoRemove"], false);
  EXPECT_EQ(host["Init"], false);
  EXPECT_EQ(host["Privileged"], false);
  EXPECT_EQ(host["CgroupnsMode"], "private");  // /proc/self/cgroup must not name /docker/<id>
  const Json fsize{{"Name", "fsize"}, {"Soft", 1LL << 30}, {"Hard", 1LL << 30}};
  EXPECT_EQ(host["Ulimits"], Json::array({fsize}));
  EXPECT_FALSE(host.contains("Runtime"));  // the engine's default runtime
}

TEST(ContainerSpec, PassesTheConfiguredRuntime) {
  config::Config config;
  config.container_pool.security.runtime = "runsc";
  EXPECT_EQ(build_container_spec(config, "s")["HostConfig"]["Runtime"], "runsc");
}

TEST(ContainerSpec, FollowsTheConfiguredValues) {
  config::Config config;
  auto& pool = config.container_pool;
  pool.image = "hermes-target-minimal:latest";
  pool.hostname = "db-02";
  pool.security.network_mode = "hermes-isolated";
  pool.security.memory_limit_bytes = 512LL * 1024 * 1024;
  pool.security.cpu_quota = 1.25;
  pool.security.pids_limit = 42;
  pool.security.tmpfs_size_bytes = 1024;
  pool.security.capabilities.drop = {"ALL"};
  pool.security.capabilities.add = {};
  pool.security.security_opt = {"no-new-privileges:true", "apparmor=docker-default"};

  const Json spec = build_container_spec(config, "edge");
  const Json& host = spec["HostConfig"];
  EXPECT_EQ(spec["Image"], "hermes-target-minimal:latest");
  EXPECT_EQ(spec["Hostname"], "db-02");
  EXPECT_EQ(spec["Labels"]["hermes.sensor"], "edge");
  EXPECT_EQ(host["NetworkMode"], "hermes-isolated");
  EXPECT_EQ(host["Memory"], 512LL * 1024 * 1024);
  EXPECT_EQ(host["MemorySwap"], host["Memory"]);
  EXPECT_EQ(host["NanoCpus"], 1250000000LL);
  EXPECT_EQ(host["PidsLimit"], 42);
  EXPECT_EQ(host["CapAdd"], Json::array());
  EXPECT_EQ(host["SecurityOpt"],
            Json::array({"no-new-privileges:true", "apparmor=docker-default"}));
  EXPECT_EQ(host["Tmpfs"]["/tmp"], "rw,nosuid,nodev,size=1024");
}

TEST(ContainerSpec, NeverAddsASeccompOverride) {
  const Json spec = build_container_spec(config::Config{}, "s");
  for (const auto& opt : spec["HostConfig"]["SecurityOpt"]) {
    EXPECT_EQ(opt.get<std::string>().find("seccomp"), std::string::npos) << opt;
  }
}

TEST(ContainerSpec, LeavesOutLimitsThatAreNotSet) {
  config::Config config;
  config.container_pool.security.memory_limit_bytes = 0;
  config.container_pool.security.cpu_quota = 0;
  config.container_pool.security.pids_limit = 0;
  config.container_pool.security.tmpfs_size_bytes = 0;
  config.container_pool.security.disk_limit_bytes = 0;
  const Json host = build_container_spec(config, "s")["HostConfig"];
  EXPECT_FALSE(host.contains("Memory"));
  EXPECT_FALSE(host.contains("MemorySwap"));
  EXPECT_FALSE(host.contains("NanoCpus"));
  EXPECT_FALSE(host.contains("PidsLimit"));
  EXPECT_FALSE(host.contains("Ulimits"));
  EXPECT_EQ(host["Tmpfs"]["/tmp"], "rw,nosuid,nodev");
}

TEST(ContainerSpec, SensorNameWithOddBytesStaysAValidJsonLabel) {
  const Json spec = build_container_spec(config::Config{}, "s\"e n\\sor");
  EXPECT_EQ(spec["Labels"]["hermes.sensor"], "s\"e n\\sor");
  EXPECT_NO_THROW((void)spec.dump());
}

}  // namespace
}  // namespace hermes::sandbox
