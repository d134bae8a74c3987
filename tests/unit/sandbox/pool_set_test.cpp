// PoolSet against a scripted fake engine: the weighted choice decides which profile's pool (and
// image) a session gets, and a returning address gets its stopped container back, once.
#include "sandbox/pool_set.hpp"

#include <gtest/gtest.h>

#include <deque>
#include <set>
#include <nlohmann/json.hpp>

#include "unit/sandbox/fake_engine.hpp"

namespace hermes::sandbox {
namespace {

using namespace std::chrono_literals;
using namespace testing;
namespace http = boost::beast::http;

Reply json_reply(int status, const std::string& body) { return Reply{http_response(status, "OK", body)}; }

// A small engine: images exist, containers are created with ids c0, c1, ... (remembering their
// image), start/stop/rename/remove succeed, and inspect says whether a container runs.
// Images named in `without_etc_ssh` have no /etc/ssh: a PUT of an archive there is a 404.
struct ScriptedEngine {
  std::vector<std::string> images;  // by container number
  std::map<std::string, bool> running;
  std::set<std::string> without_etc_ssh;

  Reply answer(const Request& request) {
    const std::string target(request.target());
    if (target.find("/images/") != std::string::npos) {
      return json_reply(200, R"({"Id":"sha256:1","Created":"2025-11-22T18:05:03.591307212Z"})");
    }
    if (target.find("/containers/create") != std::string::npos) {
      const auto spec = nlohmann::json::parse(request.body());
      const std::string id = "c" + std::to_string(images.size());
      images.push_back(spec.at("Image").get<std::string>());
      running[id] = false;
      return json_reply(201, nlohmann::json{{"Id", id}}.dump());
    }
    const auto id_start = target.find("/containers/") + std::string("/containers/").size();
    const std::string id = target.substr(id_start, target.find('/', id_start) - id_start);
    if (request.method() == http::verb::put && without_etc_ssh.contains(images.at(std::stoul(id.substr(1))))) {
      return Reply{http_response(404, "Not Found", R"({"message":"Could not find the file /etc/ssh in container"})")};
    }
    if (target.find("/start") != std::string::npos) running[id] = true;
    if (target.find("/stop") != std::string::npos) running[id] = false;
    if (request.method() == http::verb::get && target.find("/json") != std::string::npos) {
      return json_reply(200, nlohmann::json{{"Id", id}, {"State", {{"Running", running[id]}}}}.dump());
    }
    return Reply{http_response(204, "No Content", "")};
  }
};

config::Config two_profiles(int sticky_window) {
  config::Config config;
  config.container_pool.size = 3;
  config.container_pool.spawn_timeout = 5;
  config.container_pool.profiles = {{"img-a:1", 2}, {"img-b:1", 1}};
  config.container_pool.sticky_window = sticky_window;
  return config;
}

asio::awaitable<int> release_and_report(PoolSet& pools, Lease lease) {
  const auto reuse = PoolSet::Reuse::allowed;
  co_await pools.release(std::move(lease), reuse);
  co_return 0;
}

asio::awaitable<int> shut_down(PoolSet& pools) {
  co_await pools.shutdown();
  co_return 0;
}

class PoolSetTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fake_ = std::make_unique<FakeEngine>(io_, [this](const Request& r) { return engine_.answer(r); });
    docker_ = std::make_unique<DockerClient>(io_.get_executor(), fake_->endpoint(), 5s);
  }
  void TearDown() override {
    if (pools_) run(io_, shut_down(*pools_));
  }
  PoolSet& make(config::Config config, std::vector<PublicHostKey> host_keys = {}) {
    config_ = std::move(config);
    auto draws = [this] {
      const auto draw = draws_.empty() ? 0 : draws_.front();
      if (!draws_.empty()) draws_.pop_front();
      return draw;
    };
    pools_ = std::make_unique<PoolSet>(io_.get_executor(), *docker_, config_, "edge", std::move(host_keys), draws);
    auto started = run(io_, pools_->start());
    EXPECT_TRUE(started) << started.error().message;
    return *pools_;
  }
  // A whole session: lease, then release (stopped, remembered when sticky).
  Lease visit(const std::string& session, const std::string& address) {
    auto lease = run(io_, pools_->acquire(session, address));
    EXPECT_TRUE(lease) << lease.error().message;
    if (!lease) return {};
    run(io_, release_and_report(*pools_, *lease));
    return *lease;
  }
  std::string image_of(const std::string& id) const { return engine_.images.at(std::stoul(id.substr(1))); }

  asio::io_context io_;
  ScriptedEngine engine_;
  std::unique_ptr<FakeEngine> fake_;
  std::unique_ptr<DockerClient> docker_;
  config::Config config_;
  std::deque<std::uint64_t> draws_;
  std::unique_ptr<PoolSet> pools_;
};

TEST_F(PoolSetTest, SplitsThePoolAndLeasesFromTheDrawnProfile) {
  auto& pools = make(two_profiles(0));
  // size 3 over weights 2:1 -> pools of 2 and 1, each creating containers of its own image.
  std::vector<std::string> started(engine_.images.begin(), engine_.images.end());
  std::sort(started.begin(), started.end());
  EXPECT_EQ(started, (std::vector<std::string>{"img-a:1", "img-a:1", "img-b:1"}));

  draws_ = {2, 0, 1, 5};  // weights 2:1 -> draws 0,1 are profile 0; 2 is profile 1 (mod 3)
  const std::vector<std::pair<int, std::string>> expected{{1, "img-b:1"}, {0, "img-a:1"}, {0, "img-a:1"},
                                                          {1, "img-b:1"}};
  for (const auto& [profile, image] : expected) {
    auto lease = run(io_, pools.acquire("a1b2c3d4e5f6", "198.51.100.1"));
    ASSERT_TRUE(lease) << lease.error().message;
    EXPECT_EQ(lease->profile, profile);
    EXPECT_EQ(lease->image, image);
    EXPECT_EQ(image_of(lease->container_id), image);
    EXPECT_FALSE(lease->reused);
    EXPECT_EQ(lease->source_ip, "198.51.100.1");
  }
}

// Every container gets the sensor's public keys in /etc/ssh before it starts; an image without
// /etc/ssh (404) is no reason to refuse its containers.
TEST_F(PoolSetTest, HostKeysAreWrittenBeforeEachStartAndAMissingEtcSshIsSkipped) {
  engine_.without_etc_ssh = {"img-b:1"};
  const std::string blob = "AAAAC3NzaC1lZDI1NTE5AAAAIDTBVfIry8HWRDFTfm2+T/4vUcT3dwh1ialXPfu6s8Wj";
  auto& pools = make(two_profiles(0), {{"ssh-ed25519", blob}});
  EXPECT_EQ(pools.ready_count(), 3u);

  std::map<std::string, std::vector<std::string>> calls;  // container id -> its calls in order
  for (const auto& request : fake_->requests()) {
    const std::string target(request.target());
    const auto at = target.find("/containers/c");
    if (at == std::string::npos || target.find("/containers/create") != std::string::npos) continue;
    const auto id_end = target.find('/', at + 12);
    const std::string id = target.substr(at + 12, id_end - at - 12);
    const std::string call = std::string(request.method_string()) + " " + target.substr(id_end);
    calls[id].push_back(call);
    if (request.method() != http::verb::put) continue;
    EXPECT_EQ(request[http::field::content_type], "application/x-tar");
    const std::string& tar = request.body();
    ASSERT_GE(tar.size(), 1024u);
    EXPECT_EQ(tar.substr(0, 24), "ssh_host_ed25519_key.pub");
    EXPECT_NE(tar.find("ssh-ed25519 " + blob + " root@prod-web-01\n"), std::string::npos);
    EXPECT_EQ(tar.substr(136, 11), "15110375517");  // mtime: the image's Created, in octal
  }
  ASSERT_EQ(calls.size(), 3u);
  for (const auto& [id, sequence] : calls) {
    ASSERT_EQ(sequence.size(), 2u) << id;
    EXPECT_EQ(sequence[0], "PUT /archive?path=%2Fetc%2Fssh") << id;
    EXPECT_EQ(sequence[1], "POST /start") << id;
  }
  auto lease = run(io_, pools.acquire("a1b2c3d4e5f6", "198.51.100.1"));
  EXPECT_TRUE(lease) << lease.error().message;
}

TEST_F(PoolSetTest, AReturningAddressGetsItsStoppedContainerBackOnce) {
  auto& pools = make(two_profiles(300));
  draws_ = {2};
  const Lease first_lease = visit("aaaaaaaaaaaa", "198.51.100.1");
  const Lease* first = &first_lease;
  EXPECT_FALSE(engine_.running[first->container_id]);

  auto again = run(io_, pools.acquire("bbbbbbbbbbbb", "198.51.100.1"));
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_TRUE(again->reused);
  EXPECT_EQ(again->container_id, first->container_id);
  EXPECT_EQ(again->previous_session, "aaaaaaaaaaaa");
  EXPECT_EQ(again->name, "hermes-edge-bbbbbbbbbbbb");
  EXPECT_EQ(again->image, "img-b:1");
  EXPECT_EQ(again->profile, 1);
  EXPECT_TRUE(engine_.running[again->container_id]);
  // Held by a session: reconcile must leave it alone.
  EXPECT_TRUE(run(io_, pools.in_use()).contains(again->container_id));
  bool renamed = false;
  for (const auto& request : fake_->requests()) {
    const std::string target(request.target());
    renamed |= target.find("/containers/" + first->container_id + "/rename") != std::string::npos &&
               target.find("hermes-edge-bbbbbbbbbbbb") != std::string::npos;
  }
  EXPECT_TRUE(renamed);

  // While it is leased again, another login from that address gets a fresh container; so does
  // another address.
  auto concurrent = run(io_, pools.acquire("cccccccccccc", "198.51.100.1"));
  ASSERT_TRUE(concurrent);
  EXPECT_FALSE(concurrent->reused);
  EXPECT_NE(concurrent->container_id, first->container_id);
  auto other = run(io_, pools.acquire("dddddddddddd", "198.51.100.2"));
  ASSERT_TRUE(other);
  EXPECT_FALSE(other->reused);
}

TEST_F(PoolSetTest, AContainerStillRunningOrDestroyedIsNotHandedBack) {
  auto& pools = make(two_profiles(300));
  const Lease first = visit("aaaaaaaaaaaa", "198.51.100.1");
  engine_.running[first.container_id] = true;  // its stop did not take, say
  const Lease next = visit("bbbbbbbbbbbb", "198.51.100.1");
  EXPECT_FALSE(next.reused);
  EXPECT_NE(next.container_id, first.container_id);

  pools.container_ended(next.container_id, "destroy");
  EXPECT_FALSE(visit("cccccccccccc", "198.51.100.1").reused);
}

TEST_F(PoolSetTest, WithoutAWindowNothingIsHandedBack) {
  make(two_profiles(0));
  const Lease first = visit("aaaaaaaaaaaa", "198.51.100.1");
  const Lease next = visit("bbbbbbbbbbbb", "198.51.100.1");
  EXPECT_FALSE(next.reused);
  EXPECT_NE(next.container_id, first.container_id);
}

}  // namespace
}  // namespace hermes::sandbox
