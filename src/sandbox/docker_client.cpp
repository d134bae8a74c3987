// DockerClient: maps each Engine API call onto one HTTP exchange (http_exchange.hpp) and the
// engine's answer onto a value or an Error (docker_responses.hpp).
#include "sandbox/docker_client.hpp"

#include <fstream>
#include <mutex>

#include "common/log.hpp"
#include "sandbox/docker_responses.hpp"
#include "sandbox/engine_runtimes.hpp"
#include "sandbox/http_exchange.hpp"
#include "sandbox/url_encoding.hpp"

namespace hermes::sandbox {
namespace {

using std::chrono::milliseconds;

// Importing a target image's rootfs means sending and unpacking hundreds of MB; that is slow
// but healthy, so it gets far longer than an ordinary request.
constexpr milliseconds kImportTimeout = std::chrono::minutes(10);
// Terminal sizes come from the attacker's SSH client; the kernel's winsize holds 16 bits.
constexpr int kMaxTerminalDimension = 65535;

std::string json_text(const Json& value) {
  // Replace invalid UTF-8 instead of throwing: specs may carry bytes a session chose.
  return value.dump(-1, ' ', false, Json::error_handler_t::replace);
}

Result<void> check_terminal_size(int width, int height) {
  if (width < 1 || height < 1 || width > kMaxTerminalDimension || height > kMaxTerminalDimension) {
    return fail("terminal size " + std::to_string(width) + "x" + std::to_string(height) +
                " is out of range (1 to 65535)");
  }
  return {};
}

// "?h=H&w=W" for the resize endpoints.
std::string size_query(int width, int height) {
  return build_query({{"h", std::to_string(height)}, {"w", std::to_string(width)}});
}

// Warnings (a limit the kernel ignores, say) matter to whoever runs the sensor.
void log_create_warnings(std::string_view body) {
  const Json parsed = Json::parse(body, nullptr, false);
  if (!parsed.is_object()) return;
  const auto warnings = parsed.find("Warnings");
  if (warnings == parsed.end() || !warnings->is_array()) return;
  for (const auto& warning : *warnings) {
    if (warning.is_string()) {
      log::warn("docker", "container create: " + sanitize_engine_text(warning.get<std::string>()));
    }
  }
}

Result<void> check_id(std::string_view id, std::string_view what) {
  if (id.empty()) return fail(std::string(what) + " id is empty");
  return {};
}

// POST /images/create's path for an import from the request body.
std::string import_path(const std::string& repo, const std::string& tag, std::vector<std::string> changes) {
  QueryParams query{{"fromSrc", "-"}, {"repo", repo}};
  if (!tag.empty()) query.emplace_back("tag", tag);
  for (auto& change : changes) query.emplace_back("changes", std::move(change));
  return "/images/create" + build_query(query);
}

}  // namespace

struct DockerClient::Impl {
  asio::any_io_executor executor;
  DockerEndpoint endpoint;
  milliseconds request_timeout;

  mutable std::mutex version_mutex;  // ping() may run while other calls build paths
  std::string api_version{kDefaultApiVersion};

  std::string versioned(std::string_view path) const {
    std::lock_guard lock(version_mutex);
    return "/v" + api_version + std::string(path);
  }

  ExchangeLimits limits(milliseconds timeout) const {
    ExchangeLimits out;
    out.timeout = timeout;
    return out;
  }

  // A request with a JSON body (or none) on a versioned path. Requests are always built as
  // named values before a co_await: GCC 12 mis-copies braced temporaries (and `= {}` default
  // arguments) that live inside a co_await expression into the coroutine frame.
  HttpRequest request(http::verb method, std::string_view path, std::string json_body) const {
    HttpRequest out{method, versioned(path), std::move(json_body), std::string()};
    if (!out.body.empty()) out.content_type = "application/json";
    return out;
  }

  asio::awaitable<Result<HttpResponse>> send(HttpRequest request, ExchangeLimits limits) {
    co_return co_await http_exchange(executor, endpoint, std::move(request), limits);
  }

  // Sends and turns any status outside 2xx (and `also_ok`, e.g. 304) into an Error.
  asio::awaitable<Result<HttpResponse>> call(HttpRequest request, ExchangeLimits limits,
                                             unsigned also_ok) {
    const std::string what = request.describe();
    auto response = co_await send(std::move(request), limits);
    if (!response) co_return response;
    const unsigned status = response->status;
    if ((status < 200 || status >= 300) && status != also_ok) {
      co_return std::unexpected(http_status_error(what, status, response->reason, response->body));
    }
    co_return response;
  }

  // The common case: a versioned path, the request timeout, success only on 2xx.
  asio::awaitable<Result<HttpResponse>> call(http::verb method, std::string path,
                                             std::string json_body) {
    auto built = request(method, path, std::move(json_body));
    co_return co_await call(std::move(built), limits(request_timeout), 0);
  }

  asio::awaitable<Result<HttpResponse>> call(http::verb method, std::string path) {
    auto built = request(method, path, std::string());
    co_return co_await call(std::move(built), limits(request_timeout), 0);
  }

  // GET /images/{name}/json: the answer's body, or nullopt for 404 (no such image).
  asio::awaitable<Result<std::optional<std::string>>> inspect_image(std::string image) {
    if (!is_valid_image_reference(image)) {
      co_return fail("image name '" + sanitize_engine_text(image, 80) + "' is not a valid reference");
    }
    auto built = request(http::verb::get, "/images/" + encode_image_reference(image) + "/json", std::string());
    const std::string what = built.describe();
    auto response = co_await send(std::move(built), limits(request_timeout));
    if (!response) co_return std::unexpected(std::move(response.error()));
    if (response->status == 200) co_return std::move(response->body);
    if (response->status == 404) co_return std::optional<std::string>();
    co_return std::unexpected(http_status_error(what, response->status, response->reason, response->body));
  }

  asio::awaitable<Result<std::unique_ptr<HijackedStream>>> hijack(std::string path,
                                                                  std::string json_body) {
    auto built = request(http::verb::post, path, std::move(json_body));
    const std::string what = built.describe();
    auto outcome = co_await http_upgrade(executor, endpoint, std::move(built), limits(request_timeout));
    if (!outcome) co_return std::unexpected(std::move(outcome.error()));
    if (!outcome->stream) {
      const auto& response = outcome->response;
      co_return std::unexpected(http_status_error(what, response.status, response.reason, response.body));
    }
    co_return std::move(outcome->stream);
  }
};

DockerClient::DockerClient(asio::any_io_executor executor, DockerEndpoint endpoint,
                           std::chrono::milliseconds request_timeout)
    : impl_(std::make_unique<Impl>()) {
  impl_->executor = std::move(executor);
  impl_->endpoint = std::move(endpoint);
  impl_->request_timeout = request_timeout;
}

DockerClient::~DockerClient() = default;

const DockerEndpoint& DockerClient::endpoint() const { return impl_->endpoint; }

asio::awaitable<Result<std::string>> DockerClient::ping() {
  // Both unversioned: they are how the version is learnt.
  const auto limits = impl_->limits(impl_->request_timeout);
  HttpRequest ping_request{http::verb::get, "/_ping", std::string(), std::string()};
  auto pong = co_await impl_->call(std::move(ping_request), limits, 0);
  if (!pong) co_return std::unexpected(std::move(pong.error()));
  HttpRequest version_request{http::verb::get, "/version", std::string(), std::string()};
  auto version = co_await impl_->call(std::move(version_request), limits, 0);
  if (!version) co_return std::unexpected(std::move(version.error()));
  auto negotiated = negotiate_api_version(version->body);
  if (!negotiated) co_return negotiated;
  {
    std::lock_guard lock(impl_->version_mutex);
    impl_->api_version = *negotiated;
  }
  co_return negotiated;
}

bool DockerClient::exec_takes_console_size() const {
  std::lock_guard lock(impl_->version_mutex);
  return api_version_at_least(impl_->api_version, kExecConsoleSizeMajor, kExecConsoleSizeMinor);
}

asio::awaitable<Result<std::vector<std::string>>> DockerClient::runtime_names() {
  const std::string path = "/info";  // named: no temporaries inside co_await (GCC 12)
  auto response = co_await impl_->call(http::verb::get, path);
  if (!response) co_return std::unexpected(std::move(response.error()));
  co_return parse_runtime_names(response->body);
}

asio::awaitable<Result<bool>> DockerClient::image_exists(std::string image) {
  auto inspected = co_await impl_->inspect_image(std::move(image));
  if (!inspected) co_return std::unexpected(std::move(inspected.error()));
  co_return inspected->has_value();
}

asio::awaitable<Result<std::optional<std::time_t>>> DockerClient::image_created(std::string image) {
  auto inspected = co_await impl_->inspect_image(std::move(image));
  if (!inspected) co_return std::unexpected(std::move(inspected.error()));
  if (!*inspected) co_return std::optional<std::time_t>();
  const auto created = parse_image_created(**inspected);
  co_return created.value_or(std::time(nullptr));
}

asio::awaitable<Result<void>> DockerClient::import_image(std::string tar, std::string repo,
                                                         std::string tag,
                                                         std::vector<std::string> changes) {
  auto request = impl_->request(http::verb::post, import_path(repo, tag, std::move(changes)), std::move(tar));
  request.content_type = "application/x-tar";
  auto response = co_await impl_->call(std::move(request), impl_->limits(kImportTimeout), 0);
  if (!response) co_return std::unexpected(std::move(response.error()));
  co_return check_import_progress(response->body);
}

asio::awaitable<Result<void>> DockerClient::import_image_file(std::string file_path, ByteRanges file_ranges,
                                                              std::string tail, std::string repo,
                                                              std::string tag,
                                                              std::vector<std::string> changes) {
  auto file = std::make_shared<std::ifstream>(file_path, std::ios::binary);
  if (!*file) co_return fail("cannot read " + file_path);
  auto request = impl_->request(http::verb::post, import_path(repo, tag, std::move(changes)), std::string());
  request.content_type = "application/x-tar";
  // The file's ranges, then the tail once: pieces of at most 1 MiB from one buffer.
  std::uint64_t file_bytes = 0;
  for (const auto& [begin, end] : file_ranges) {
    if (end < begin) co_return fail("import of " + file_path + ": a byte range ends before it begins");
    file_bytes += end - begin;
  }
  auto buffer = std::make_shared<std::vector<char>>(1024 * 1024);
  auto ranges = std::make_shared<ByteRanges>(std::move(file_ranges));
  auto next_range = std::make_shared<std::size_t>(0);
  auto tail_sent = std::make_shared<bool>(false);
  auto shared_tail = std::make_shared<std::string>(std::move(tail));
  BodySource source = [file, buffer, ranges, next_range, tail_sent, shared_tail,
                       file_path]() -> Result<std::string_view> {
    while (*next_range < ranges->size() && (*ranges)[*next_range].first == (*ranges)[*next_range].second) {
      ++*next_range;
    }
    if (*next_range < ranges->size()) {
      auto& [begin, end] = (*ranges)[*next_range];
      const auto want = static_cast<std::streamsize>(std::min<std::uint64_t>(end - begin, buffer->size()));
      file->seekg(static_cast<std::streamoff>(begin));
      if (!file->read(buffer->data(), want)) return fail(file_path + " ended early or could not be read");
      begin += static_cast<std::uint64_t>(want);
      return std::string_view(buffer->data(), static_cast<std::size_t>(want));
    }
    if (!*tail_sent) {
      *tail_sent = true;
      if (!shared_tail->empty()) return std::string_view(*shared_tail);
    }
    return std::string_view();
  };
  const std::uint64_t total = file_bytes + shared_tail->size();
  auto response = co_await http_upload(impl_->executor, impl_->endpoint, std::move(request), total,
                                       std::move(source), impl_->limits(kImportTimeout));
  if (!response) co_return std::unexpected(std::move(response.error()));
  if (response->status < 200 || response->status >= 300) {
    co_return std::unexpected(http_status_error("POST /images/create", response->status, response->reason, response->body));
  }
  co_return check_import_progress(response->body);
}

asio::awaitable<Result<std::string>> DockerClient::create_container(Json spec, std::string name) {
  const std::string query = name.empty() ? std::string() : build_query({{"name", name}});
  auto request = impl_->request(http::verb::post, "/containers/create" + query, json_text(spec));
  auto response = co_await impl_->call(std::move(request), impl_->limits(impl_->request_timeout), 0);
  if (!response) co_return std::unexpected(std::move(response.error()));
  auto id = parse_created_id(response->body, "container create");
  if (id) log_create_warnings(response->body);
  co_return id;
}

asio::awaitable<Result<void>> DockerClient::start_container(std::string id) {
  if (auto ok = check_id(id, "container"); !ok) co_return ok;
  auto request = impl_->request(http::verb::post, "/containers/" + encode_path_segment(id) + "/start",
                                std::string());
  // 304: already started, which is what the caller wanted.
  auto response = co_await impl_->call(std::move(request), impl_->limits(impl_->request_timeout), 304);
  if (!response) co_return std::unexpected(std::move(response.error()));
  co_return Result<void>{};
}

asio::awaitable<Result<void>> DockerClient::stop_container(std::string id, int timeout_seconds) {
  if (auto ok = check_id(id, "container"); !ok) co_return ok;
  timeout_seconds = std::max(0, timeout_seconds);
  const std::string query = build_query({{"t", std::to_string(timeout_seconds)}});
  auto request = impl_->request(http::verb::post, "/containers/" + encode_path_segment(id) + "/stop" + query,
                                std::string());
  // The engine waits up to t seconds for the process before killing it, then answers; 304 means
  // it was already stopped.
  const milliseconds budget = impl_->request_timeout + std::chrono::seconds(timeout_seconds);
  auto response = co_await impl_->call(std::move(request), impl_->limits(budget), 304);
  if (!response) co_return std::unexpected(std::move(response.error()));
  co_return Result<void>{};
}

asio::awaitable<Result<void>> DockerClient::remove_container(std::string id, bool force) {
  if (auto ok = check_id(id, "container"); !ok) co_return ok;
  const std::string query = build_query({{"force", force ? "1" : "0"}, {"v", "1"}});
  const std::string path = "/containers/" + encode_path_segment(id) + query;
  auto response = co_await impl_->call(http::verb::delete_, path);
  if (!response) co_return std::unexpected(std::move(response.error()));
  co_return Result<void>{};
}

asio::awaitable<Result<void>> DockerClient::rename_container(std::string id, std::string new_name) {
  if (auto ok = check_id(id, "container"); !ok) co_return ok;
  if (new_name.empty()) co_return fail("new container name is empty");
  const std::string path =
      "/containers/" + encode_path_segment(id) + "/rename" + build_query({{"name", new_name}});
  auto response = co_await impl_->call(http::verb::post, path);
  if (!response) co_return std::unexpected(std::move(response.error()));
  co_return Result<void>{};
}

asio::awaitable<Result<Json>> DockerClient::inspect_container(std::string id) {
  if (auto ok = check_id(id, "container"); !ok) co_return std::unexpected(ok.error());
  const std::string path = "/containers/" + encode_path_segment(id) + "/json";
  auto response = co_await impl_->call(http::verb::get, path);
  if (!response) co_return std::unexpected(std::move(response.error()));
  auto body = parse_json_body(response->body, "container inspect");
  if (body && !body->is_object()) co_return fail("Docker container inspect did not answer with an object");
  co_return body;
}

asio::awaitable<Result<int64_t>> DockerClient::writable_layer_size(std::string id) {
  if (auto ok = check_id(id, "container"); !ok) co_return std::unexpected(ok.error());
  const std::string path = "/containers/" + encode_path_segment(id) + "/json" + build_query({{"size", "1"}});
  auto response = co_await impl_->call(http::verb::get, path);
  if (!response) co_return std::unexpected(std::move(response.error()));
  co_return parse_writable_layer_size(response->body);
}

asio::awaitable<Result<Json>> DockerClient::list_containers(std::string label_filter, bool all) {
  QueryParams query{{"all", all ? "1" : "0"}};
  if (!label_filter.empty()) {
    query.emplace_back("filters", json_text(Json{{"label", Json::array({label_filter})}}));
  }
  const std::string path = "/containers/json" + build_query(query);
  auto response = co_await impl_->call(http::verb::get, path);
  if (!response) co_return std::unexpected(std::move(response.error()));
  auto body = parse_json_body(response->body, "container list");
  if (body && !body->is_array()) co_return fail("Docker container list did not answer with an array");
  co_return body;
}

asio::awaitable<Result<int>> DockerClient::wait_container(std::string id) {
  if (auto ok = check_id(id, "container"); !ok) co_return std::unexpected(ok.error());
  auto request = impl_->request(http::verb::post, "/containers/" + encode_path_segment(id) + "/wait",
                                std::string());
  auto limits = impl_->limits(impl_->request_timeout);
  limits.unbounded_response = true;  // answers only when the container stops
  auto response = co_await impl_->call(std::move(request), limits, 0);
  if (!response) co_return std::unexpected(std::move(response.error()));
  co_return parse_wait_status(response->body);
}

asio::awaitable<Result<void>> DockerClient::resize_container(std::string id, int width, int height) {
  if (auto ok = check_id(id, "container"); !ok) co_return ok;
  if (auto ok = check_terminal_size(width, height); !ok) co_return ok;
  const std::string path = "/containers/" + encode_path_segment(id) + "/resize" + size_query(width, height);
  auto response = co_await impl_->call(http::verb::post, path);
  if (!response) co_return std::unexpected(std::move(response.error()));
  co_return Result<void>{};
}

asio::awaitable<Result<std::unique_ptr<HijackedStream>>> DockerClient::attach_container(std::string id) {
  if (auto ok = check_id(id, "container"); !ok) co_return std::unexpected(ok.error());
  const std::string path =
      "/containers/" + encode_path_segment(id) + "/attach" +
      build_query({{"stream", "1"}, {"stdin", "1"}, {"stdout", "1"}, {"stderr", "1"}});
  std::string no_body;
  co_return co_await impl_->hijack(path, std::move(no_body));
}

asio::awaitable<Result<std::string>> DockerClient::create_exec(std::string container_id, Json spec) {
  if (auto ok = check_id(container_id, "container"); !ok) co_return std::unexpected(ok.error());
  const std::string path = "/containers/" + encode_path_segment(container_id) + "/exec";
  std::string body = json_text(spec);
  auto response = co_await impl_->call(http::verb::post, path, std::move(body));
  if (!response) co_return std::unexpected(std::move(response.error()));
  co_return parse_created_id(response->body, "exec create");
}

asio::awaitable<Result<std::unique_ptr<HijackedStream>>> DockerClient::start_exec(std::string exec_id,
                                                                                  bool tty) {
  if (auto ok = check_id(exec_id, "exec"); !ok) co_return std::unexpected(ok.error());
  const std::string path = "/exec/" + encode_path_segment(exec_id) + "/start";
  std::string body = json_text(Json{{"Detach", false}, {"Tty", tty}});
  co_return co_await impl_->hijack(path, std::move(body));
}

asio::awaitable<Result<ExecState>> DockerClient::inspect_exec(std::string exec_id) {
  if (auto ok = check_id(exec_id, "exec"); !ok) co_return std::unexpected(ok.error());
  const std::string path = "/exec/" + encode_path_segment(exec_id) + "/json";
  auto response = co_await impl_->call(http::verb::get, path);
  if (!response) co_return std::unexpected(std::move(response.error()));
  co_return parse_exec_state(response->body);
}

asio::awaitable<Result<void>> DockerClient::resize_exec(std::string exec_id, int width, int height) {
  if (auto ok = check_id(exec_id, "exec"); !ok) co_return ok;
  if (auto ok = check_terminal_size(width, height); !ok) co_return ok;
  const std::string path = "/exec/" + encode_path_segment(exec_id) + "/resize" + size_query(width, height);
  auto response = co_await impl_->call(http::verb::post, path);
  if (!response) co_return std::unexpected(std::move(response.error()));
  co_return Result<void>{};
}

// --- retention ---

asio::awaitable<Result<std::uint64_t>> DockerClient::export_container(std::string id, ExportSink sink,
                                                                      std::chrono::milliseconds timeout) {
  if (auto ok = check_id(id, "container"); !ok) co_return std::unexpected(ok.error());
  auto request = impl_->request(http::verb::get, "/containers/" + encode_path_segment(id) + "/export",
                                std::string());
  auto limits = impl_->limits(timeout);
  co_return co_await http_download(impl_->executor, impl_->endpoint, std::move(request), limits,
                                   std::move(sink));
}

// --- artifacts ---

asio::awaitable<Result<std::string>> DockerClient::container_changes(std::string id) {
  if (auto ok = check_id(id, "container"); !ok) co_return std::unexpected(ok.error());
  auto request = impl_->request(http::verb::get, "/containers/" + encode_path_segment(id) + "/changes",
                                std::string());
  auto limits = impl_->limits(impl_->request_timeout);
  limits.max_body = kMaxChangesBody;
  auto response = co_await impl_->call(std::move(request), limits, 0);
  if (!response) co_return std::unexpected(std::move(response.error()));
  co_return std::move(response->body);
}

asio::awaitable<Result<std::uint64_t>> DockerClient::archive(std::string id, std::string path, ExportSink sink,
                                                             std::chrono::milliseconds timeout) {
  if (auto ok = check_id(id, "container"); !ok) co_return std::unexpected(ok.error());
  auto request = impl_->request(http::verb::get,
                                "/containers/" + encode_path_segment(id) + "/archive" +
                                    build_query({{"path", path}}),
                                std::string());
  auto limits = impl_->limits(timeout);
  co_return co_await http_download(impl_->executor, impl_->endpoint, std::move(request), limits,
                                   std::move(sink));
}

asio::awaitable<Result<void>> DockerClient::put_archive(std::string id, std::string path, std::string tar) {
  if (auto ok = check_id(id, "container"); !ok) co_return std::unexpected(ok.error());
  auto request = impl_->request(http::verb::put,
                                "/containers/" + encode_path_segment(id) + "/archive" +
                                    build_query({{"path", path}}),
                                std::move(tar));
  request.content_type = "application/x-tar";
  auto response = co_await impl_->call(std::move(request), impl_->limits(impl_->request_timeout), 0);
  if (!response) co_return std::unexpected(std::move(response.error()));
  co_return Result<void>{};
}

// --- engine watch ---

asio::awaitable<Result<std::unique_ptr<BodyStream>>> DockerClient::container_events(
    std::string label_filter, std::vector<std::string> actions) {
  Json filters{{"type", Json::array({"container"})}};
  if (!label_filter.empty()) filters["label"] = Json::array({label_filter});
  if (!actions.empty()) filters["event"] = actions;
  const std::string path = "/events" + build_query({{"filters", json_text(filters)}});
  auto request = impl_->request(http::verb::get, path, std::string());
  const std::string what = request.describe();
  auto opened = co_await http_open_body_stream(impl_->executor, impl_->endpoint, std::move(request),
                                               impl_->limits(impl_->request_timeout));
  if (!opened) co_return std::unexpected(std::move(opened.error()));
  if (!opened->stream) {
    const auto& response = opened->response;
    co_return std::unexpected(http_status_error(what, response.status, response.reason, response.body));
  }
  co_return std::move(opened->stream);
}

}  // namespace hermes::sandbox
