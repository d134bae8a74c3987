#pragma once
// Percent-encoding for the Docker Engine API's request targets. Query values (container names,
// label filters as JSON, Dockerfile "changes" lines) and path segments (ids, image names) may
// carry any byte, some of them chosen by configuration or derived from an attacker's session,
// so every one is encoded: nothing typed into a value can add a parameter or change the path.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hermes::sandbox {

// RFC 3986: keeps ALPHA / DIGIT / "-" / "." / "_" / "~", encodes every other byte as %XX.
std::string url_encode(std::string_view value);

// One path segment such as a container or exec id: like url_encode, so "/" and ".." cannot
// walk to another endpoint.
inline std::string encode_path_segment(std::string_view segment) { return url_encode(segment); }

// An image reference ("repo/name:tag", "name@sha256:..."): keeps "/", ":" and "@", which the
// engine's image routes expect literally, and encodes every other reserved byte.
std::string encode_image_reference(std::string_view image);

// "?k1=v1&k2=v2" with every key and value encoded; "" when there are no parameters. Repeated
// keys are allowed (the image import's "changes").
using QueryParams = std::vector<std::pair<std::string, std::string>>;
std::string build_query(const QueryParams& params);

}  // namespace hermes::sandbox
