"""The configuration a test server runs with: everything under the test's own temp dir, loopback
only, a small pool, and a sensor name unique to this run so its containers can be found (and
removed) by label without touching anyone else's."""
import copy
import os
import secrets
from pathlib import Path
from typing import Any, Optional

# A developer testing a changed image builds it under another tag and points the tests at it.
TARGET_IMAGE = os.environ.get("HERMES_TEST_IMAGE", "hermes-target-minimal:latest")
# The realistic Debian image (hermes image build --profile debian), for tests that need its tools.
DEBIAN_IMAGE = os.environ.get("HERMES_TEST_DEBIAN_IMAGE", "hermes-target-debian:latest")
SENSOR_LABEL = "hermes.sensor"
HOSTNAME = "prod-web-01"
DEFAULT_CREDENTIALS = [("root", "toor"), ("admin", "admin")]


def docker_socket() -> str:
    return os.environ.get("HERMES_DOCKER_SOCKET", "/var/run/docker.sock")


def new_sensor_name() -> str:
    return f"itest-{secrets.token_hex(4)}"


def deep_merge(base: dict, overrides: dict) -> dict:
    """A copy of base with overrides applied; nested mappings merge, anything else replaces."""
    merged = copy.deepcopy(base)
    for key, value in overrides.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def build_config(workdir: Path, port: int, sensor: str, *,
                 accept_all_after_failures: int = 0,
                 credentials: Optional[list[tuple[str, str]]] = None,
                 overrides: Optional[dict[str, Any]] = None) -> dict:
    creds = DEFAULT_CREDENTIALS if credentials is None else credentials
    config = {
        "server": {
            "host": "127.0.0.1",
            "port": port,
            "host_key_path": str(workdir / "keys" / "ssh_host_rsa_key"),
            "max_concurrent_sessions": 10,
            "session_timeout": 300,
            "sensor_name": sensor,
        },
        "authentication": {
            "static_credentials": [{"username": u, "password": p} for u, p in creds],
            "accept_all_after_failures": accept_all_after_failures,
            # Wrong passwords answered at once; the persona's delay has its own test.
            "failure_delay": 0,
        },
        "container_pool": {
            "size": 2,
            "spawn_timeout": 60,
            "image": TARGET_IMAGE,
            "max_session_duration": 600,
            "hostname": HOSTNAME,
            "security": {
                "network_mode": "none",
                "memory_limit": "256m",
                "cpu_quota": 0.5,
                "pids_limit": 100,
                "tmpfs_size": "50m",
                "capabilities": {"drop": ["ALL"], "add": ["CHOWN", "SETUID", "SETGID"]},
                "security_opt": ["no-new-privileges:true"],
            },
        },
        "recording": {
            "enabled": True,
            "output_dir": str(workdir / "recordings"),
            "format": "asciinema",
        },
        "logging": {
            "level": "DEBUG",
            "format": "text",
            "output_dir": str(workdir / "logs"),
        },
        "artifacts": {"output_dir": str(workdir / "artifacts")},
        "docker": {"socket_path": docker_socket()},
    }
    return deep_merge(config, overrides or {})
