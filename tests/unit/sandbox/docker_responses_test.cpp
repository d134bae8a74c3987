#include "sandbox/docker_responses.hpp"

#include <gtest/gtest.h>

namespace hermes::sandbox {
namespace {

TEST(SanitizeEngineText, ReplacesControlBytesAndCuts) {
  EXPECT_EQ(sanitize_engine_text("a\nb\x1b[31mc\xc3\xa9"), "a?b?[31mc??");
  EXPECT_EQ(sanitize_engine_text("abcdef", 3), "abc...");
}

TEST(HttpStatusError, UsesDockersMessageField) {
  const auto error = http_status_error("DELETE /v1.41/containers/x", 404, "Not Found",
                                       R"({"message":"No such container: x"})");
  EXPECT_EQ(error.code, 404);
  EXPECT_EQ(error.message, "Docker DELETE /v1.41/containers/x failed: HTTP 404 Not Found: No such container: x");
}

TEST(HttpStatusError, FallsBackToPlainTextBody) {
  const auto error = http_status_error("GET /v1.41/nope", 404, "Not Found", "404 page not found\n");
  EXPECT_EQ(error.message, "Docker GET /v1.41/nope failed: HTTP 404 Not Found: 404 page not found");
}

TEST(HttpStatusError, BoundsAndCleansHostileMessages) {
  const std::string huge(10000, 'A');
  const auto error = http_status_error("GET /x", 500, "Internal Server Error",
                                       Json{{"message", "evil\r\nINJECTED " + huge}}.dump());
  EXPECT_EQ(error.message.find('\n'), std::string::npos);
  EXPECT_LT(error.message.size(), 700u);
}

TEST(NegotiateApiVersion, PicksTheLowerVersion) {
  EXPECT_EQ(negotiate_api_version(R"({"ApiVersion":"1.41"})").value(), "1.41");
  EXPECT_EQ(negotiate_api_version(R"({"ApiVersion":"1.43"})").value(), "1.41");
  EXPECT_EQ(negotiate_api_version(R"({"ApiVersion":"2.0"})").value(), "1.41");
  EXPECT_EQ(negotiate_api_version(R"({"ApiVersion":"1.39"})").value(), "1.39");
  EXPECT_EQ(negotiate_api_version(R"({"ApiVersion":"1.9"})").value(), "1.9");
}

TEST(NegotiateApiVersion, RejectsMalformed) {
  for (const char* body : {"", "[]", R"({"Version":"20.10"})", R"({"ApiVersion":141})",
                           R"({"ApiVersion":"1"})", R"({"ApiVersion":"1.41.2"})",
                           R"({"ApiVersion":"1.x"})", R"({"ApiVersion":"-1.2"})",
                           R"({"ApiVersion":"1.41/"})", R"({"ApiVersion":"99999.1"})"}) {
    EXPECT_FALSE(negotiate_api_version(body)) << body;
  }
}

TEST(ApiVersionAtLeast, ComparesNumbersNotText) {
  EXPECT_TRUE(api_version_at_least("1.42", 1, 42));
  EXPECT_TRUE(api_version_at_least("1.100", 1, 42));
  EXPECT_TRUE(api_version_at_least("2.0", 1, 42));
  EXPECT_FALSE(api_version_at_least("1.41", 1, 42));
  EXPECT_FALSE(api_version_at_least("1.9", 1, 42));
  EXPECT_FALSE(api_version_at_least("", 1, 0));
  EXPECT_FALSE(api_version_at_least("1.x", 1, 0));
}

TEST(ParseCreatedId, AcceptsHexAndRejectsOthers) {
  EXPECT_EQ(parse_created_id(R"({"Id":"deadbeef"})", "x").value(), "deadbeef");
  EXPECT_FALSE(parse_created_id(R"({"Id":""})", "x"));
  EXPECT_FALSE(parse_created_id(R"({"Id":7})", "x"));
  EXPECT_FALSE(parse_created_id(R"({"Id":"a/b"})", "x"));
  EXPECT_FALSE(parse_created_id(Json{{"Id", std::string(200, 'a')}}.dump(), "x"));
  EXPECT_FALSE(parse_created_id("not json", "x"));
  EXPECT_FALSE(parse_created_id("[]", "x"));
}

TEST(ParseExecState, ReadsRunningAndExitCode) {
  auto state = parse_exec_state(R"({"Running":true,"ExitCode":null})");
  ASSERT_TRUE(state);
  EXPECT_TRUE(state->running);
  EXPECT_EQ(state->exit_code, -1);
  state = parse_exec_state(R"({"Running":false,"ExitCode":127})");
  ASSERT_TRUE(state);
  EXPECT_FALSE(state->running);
  EXPECT_EQ(state->exit_code, 127);
  EXPECT_FALSE(parse_exec_state(R"({"ExitCode":1})"));
  EXPECT_FALSE(parse_exec_state(R"({"Running":"no","ExitCode":1})"));
  EXPECT_FALSE(parse_exec_state(R"({"Running":false,"ExitCode":"1"})"));
  EXPECT_FALSE(parse_exec_state(R"({"Running":false,"ExitCode":99999999999})"));
  EXPECT_FALSE(parse_exec_state("{"));
}

TEST(ParseContainerState, ReadsStateAndNeverThrowsOnWrongTypes) {
  auto state = parse_container_state(Json::parse(R"({"State":{"Running":false,"ExitCode":3}})"));
  ASSERT_TRUE(state);
  EXPECT_FALSE(state->running);
  EXPECT_EQ(state->exit_code, 3);
  // What a hostile or broken engine might answer: each is an Error, none an exception.
  for (const char* body : {R"([])", R"({})", R"({"State":[]})", R"({"State":{"Running":"yes"}})",
                           R"({"State":{"Running":false,"ExitCode":1.5}})", R"("State")"}) {
    EXPECT_FALSE(parse_container_state(Json::parse(body))) << body;
  }
}

TEST(ParseWaitStatus, ReadsStatusCodeOrError) {
  EXPECT_EQ(parse_wait_status(R"({"StatusCode":137,"Error":null})").value(), 137);
  EXPECT_EQ(parse_wait_status(R"({"StatusCode":0})").value(), 0);
  const auto failed = parse_wait_status(R"({"StatusCode":-1,"Error":{"Message":"container gone"}})");
  ASSERT_FALSE(failed);
  EXPECT_NE(failed.error().message.find("container gone"), std::string::npos);
  EXPECT_FALSE(parse_wait_status(R"({"StatusCode":1.5})"));
  EXPECT_FALSE(parse_wait_status(R"({})"));
}

TEST(ParseWritableLayerSize, ReadsSizeRwAndRejectsOddValues) {
  EXPECT_EQ(parse_writable_layer_size(R"({"Id":"a","SizeRw":20971520,"SizeRootFs":99})").value(), 20971520);
  EXPECT_EQ(parse_writable_layer_size(R"({"SizeRw":0})").value(), 0);
  EXPECT_FALSE(parse_writable_layer_size(R"({"Id":"a"})"));          // inspect without ?size=1
  EXPECT_FALSE(parse_writable_layer_size(R"({"SizeRw":null})"));
  EXPECT_FALSE(parse_writable_layer_size(R"({"SizeRw":-5})"));
  EXPECT_FALSE(parse_writable_layer_size(R"({"SizeRw":1.5})"));
  EXPECT_FALSE(parse_writable_layer_size(R"({"SizeRw":"12"})"));
  EXPECT_FALSE(parse_writable_layer_size(R"({"SizeRw":18446744073709551615})"));
  EXPECT_FALSE(parse_writable_layer_size("[1]"));
  EXPECT_FALSE(parse_writable_layer_size("{"));
}

TEST(CheckImportProgress, AcceptsStatusLines) {
  EXPECT_TRUE(check_import_progress("{\"status\":\"sha256:1\"}\r\n{\"status\":\"done\"}\r\n"));
  EXPECT_TRUE(check_import_progress(""));
}

TEST(CheckImportProgress, FailsOnErrorOrErrorDetail) {
  const auto legacy = check_import_progress("{\"status\":\"x\"}\n{\"error\":\"bad tar\"}\n");
  ASSERT_FALSE(legacy);
  EXPECT_NE(legacy.error().message.find("bad tar"), std::string::npos);
  const auto detail = check_import_progress("{\"errorDetail\":{\"message\":\"no space\"}}");
  ASSERT_FALSE(detail);
  EXPECT_NE(detail.error().message.find("no space"), std::string::npos);
}

TEST(CheckImportProgress, FailsOnUnreadableLine) {
  const auto result = check_import_progress("{\"status\":\"x\"}\ngarbage\n");
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().message.find("line 2"), std::string::npos);
}

TEST(IsValidImageReference, AcceptsDockerNamesOnly) {
  for (const char* good : {"busybox", "hermes/debian:12", "localhost:5000/a/b:c", "a@sha256:0f", "a_b.c-d"}) {
    EXPECT_TRUE(is_valid_image_reference(good)) << good;
  }
  for (const char* bad : {"", "/abs", "a//b", "a/", "../x", "a/../b", "a/./b", "a b", "a?b", "a#b", "a%2f"}) {
    EXPECT_FALSE(is_valid_image_reference(bad)) << bad;
  }
  EXPECT_FALSE(is_valid_image_reference(std::string(256, 'a')));
}

TEST(ParseImageCreated, ReadsTheWholeSecondsOfDockersTimestamp) {
  EXPECT_EQ(parse_image_created(R"({"Created":"2025-11-22T18:05:03.591307212Z"})"), 1763834703);
  EXPECT_EQ(parse_image_created(R"({"Created":"2025-11-22T18:05:03Z"})"), 1763834703);
}

TEST(ParseImageCreated, AnythingElseIsNoTime) {
  EXPECT_FALSE(parse_image_created(R"({})"));
  EXPECT_FALSE(parse_image_created(R"({"Created":1763834703})"));
  EXPECT_FALSE(parse_image_created(R"({"Created":"yesterday"})"));
  EXPECT_FALSE(parse_image_created(R"({"Created":"2025-13-22T18:05:03Z"})"));
  EXPECT_FALSE(parse_image_created(R"({"Created":"2025-11-22T18:05:03+02:00"})"));
  EXPECT_FALSE(parse_image_created(R"({"Created":"1969-12-31T23:59:59Z"})"));
  EXPECT_FALSE(parse_image_created("not json"));
}

}  // namespace
}  // namespace hermes::sandbox
