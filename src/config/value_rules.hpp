#pragma once
// What a valid string looks like for each kind of configuration value. Each predicate is pure and
// total: any byte sequence gets a yes or no. The loader pairs them with a description of what was
// expected (config_loader.cpp).
#include <optional>
#include <string>
#include <string_view>

namespace hermes::config {

inline constexpr std::size_t kMaxPathLength = 4096;

// A file system path: non-empty, at most kMaxPathLength bytes, no control characters (a NUL or a
// newline in a path is a mistake or an attack). Relative paths are allowed.
bool is_path_text(std::string_view text);

// An address to listen on: an IPv4/IPv6 literal or a host name (letters, digits, '.', ':', '-',
// '_', '%' for IPv6 zones), at most 253 characters.
bool is_listen_host(std::string_view text);

// A Docker image reference: "name[:tag][@digest]" characters only, at most 255 characters.
bool is_image_reference(std::string_view text);

// Docker network mode: "none", "bridge", "host", "container:<id>" or a network name.
bool is_network_mode(std::string_view text);

// An OCI runtime name as registered with Docker ("runc", "runsc", "io.containerd.runc.v2"), or
// "" for the engine's default: letters, digits, '-', '_', '.', at most 64.
bool is_runtime_name(std::string_view text);

// One RFC 1123 host name label: 1 to 63 letters, digits or '-', not starting or ending with '-'.
bool is_hostname_label(std::string_view text);

// An OpenSSH key fingerprint as `ssh-keygen -l` prints it: "SHA256:" then the 43 characters of
// unpadded base64 of a SHA-256 digest.
bool is_sha256_key_fingerprint(std::string_view text);

// Printable text without control characters, 1 to `max_length` bytes (UTF-8 allowed).
bool is_printable_text(std::string_view text, std::size_t max_length);

// The SSH identification string with its "SSH-2.0-" prefix, whether or not the input had it:
// printable ASCII, softwareversion (up to the first space) non-empty without '-' (RFC 4253 4.2),
// at most kMaxVersionStringLength characters in all. nullopt when it cannot be one.
inline constexpr std::size_t kMaxVersionStringLength = 200;
std::optional<std::string> normalize_version_string(std::string_view text);

// "tcp://host:port" (host name, IPv4, or [IPv6]; port 1..65535; optional trailing '/') or
// "unix:///absolute/path".
bool is_docker_base_url(std::string_view text);

}  // namespace hermes::config
