"""Reading what the kernel accounts for one container, through the Engine API (the same numbers
`docker stats` shows): CPU time, process count, and OOM events. Read-only; used by the
containment tests to prove from outside what an attacker's session did inside."""
import http.client
import json
import socket
import time
from typing import Optional

from .config import docker_socket
from .docker_cli import docker


class _UnixConnection(http.client.HTTPConnection):
    def __init__(self, path: str, timeout: float):
        super().__init__("docker", timeout=timeout)
        self._path = path

    def connect(self) -> None:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(self.timeout)
        sock.connect(self._path)
        self.sock = sock


def engine_get(path: str, timeout: float = 30) -> dict:
    connection = _UnixConnection(docker_socket(), timeout)
    try:
        connection.request("GET", "/v1.41" + path)
        response = connection.getresponse()
        body = response.read()
        assert response.status == 200, f"GET {path}: {response.status} {body[:200]!r}"
        return json.loads(body)
    finally:
        connection.close()


def stats(container: str) -> dict:
    """One sample (`one-shot`: no second sample for precpu, answers at once)."""
    return engine_get(f"/containers/{container}/stats?stream=false&one-shot=true")


def pids(container: str) -> int:
    return int(stats(container).get("pids_stats", {}).get("current", 0))


def cpu_cores_used(container: str, seconds: float) -> float:
    """Average number of cores the container used over `seconds` of wall time."""
    first = stats(container)["cpu_stats"]["cpu_usage"]["total_usage"]
    started = time.monotonic()
    time.sleep(seconds)
    second = stats(container)["cpu_stats"]["cpu_usage"]["total_usage"]
    elapsed = time.monotonic() - started
    return (second - first) / 1e9 / elapsed


def writable_layer_size(container: str) -> int:
    return int(engine_get(f"/containers/{container}/json?size=1")["SizeRw"])


def oom_events(container: str, since: float, until: Optional[float] = None) -> list[str]:
    """The engine's `oom` events for this container between two Unix times."""
    end = until if until is not None else time.time()
    out = docker("events", "--since", f"{since:.3f}", "--until", f"{end:.3f}",
                 "--filter", f"container={container}", "--filter", "event=oom",
                 "--format", "{{.Status}}").stdout
    return [line for line in out.splitlines() if line.strip()]
