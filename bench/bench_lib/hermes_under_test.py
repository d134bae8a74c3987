"""One Hermes started for one bench: the shipped config/hermes.yaml with the changes a benchmark
needs, on a free loopback port, with a sensor name of its own so its containers are found (and
removed) by label afterwards. Process handling is the integration harness's HermesServer."""
import secrets
import subprocess
import sys
import time
from pathlib import Path
from typing import Optional

import yaml

from hermes_itest import docker_cli
from hermes_itest.config import SENSOR_LABEL, deep_merge
from hermes_itest.server import HermesServer

from . import REPO_ROOT

SHIPPED_CONFIG = REPO_ROOT / "config" / "hermes.yaml"
BENCH_IMAGE = "hermes-target-minimal:latest"
# A pair that config/hermes.yaml accepts, and a password it does not.
LOGIN_USER, LOGIN_PASSWORD = "root", "toor"
WRONG_PASSWORD = "bench-wrong-password"
_REMOVAL_BATCH = 50


def shipped_config() -> dict:
    return yaml.safe_load(SHIPPED_CONFIG.read_text())


def shipped_pool_size() -> int:
    return int(shipped_config()["container_pool"]["size"])


def bench_config(workdir: Path, port: int, sensor: str, pool_size: int,
                 overrides: Optional[dict]) -> dict:
    """config/hermes.yaml with only what a bench must change: loopback, no admission limits
    (the load generator is one address opening thousands of connections), wrong passwords
    answered at once (the persona's delay is a timer: it costs no CPU, only wall time), the
    cheapest target image (the Docker references use the same one), and every file under the
    bench's temp dir. Recording stays on: its cost is part of what is measured."""
    changes = {
        "server": {
            "host": "127.0.0.1",
            "port": port,
            "sensor_name": sensor,
            "host_key_path": str(workdir / "keys" / "ssh_host_rsa_key"),
            "max_connections": 0,
            "max_connections_per_ip": 0,
            "connection_rate_per_ip": 0,
            "max_concurrent_sessions": 512,
        },
        "authentication": {"failure_delay": 0, "accept_all_after_failures": 0},
        "container_pool": {"size": pool_size, "image": BENCH_IMAGE},
        "recording": {"enabled": True, "output_dir": str(workdir / "recordings")},
        "retention": {"export_dir": str(workdir / "exports")},
        "artifacts": {"output_dir": str(workdir / "artifacts")},
        "logging": {"output_dir": str(workdir / "logs")},
    }
    return deep_merge(deep_merge(shipped_config(), changes), overrides or {})


class HermesUnderTest:
    """Context manager: started on entry (and its pool full), stopped and its containers
    removed on exit, whatever happened in between."""

    def __init__(self, binary: Path, workdir: Path, pool_size: int,
                 overrides: Optional[dict] = None):
        workdir.mkdir(parents=True)
        self.pool_size = pool_size
        self.server = HermesServer(binary, workdir)
        # The harness names its sensors itest-*; a bench's containers say where they came from.
        self.server.sensor = f"bench-{secrets.token_hex(4)}"
        self.server.config = bench_config(workdir, self.server.port, self.server.sensor,
                                          pool_size, overrides)

    @property
    def pid(self) -> int:
        return self.server.process.pid

    @property
    def port(self) -> int:
        return self.server.port

    @property
    def sensor(self) -> str:
        return self.server.sensor

    def __enter__(self) -> "HermesUnderTest":
        try:
            self.server.start(ready_timeout=60)
            self.wait_pool_full()
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, *exc) -> None:
        """Never raises for a cleanup problem: the bench's figures are already measured, so a
        Hermes slow to stop or a container the engine will not remove is reported instead."""
        try:
            self.server.stop(timeout=120)
        except Exception as error:  # noqa: BLE001 - reported, the figures stand
            _warn(f"hermes (sensor {self.sensor}) did not stop cleanly: {error}")
        left = remove_sensor_containers(self.sensor)
        if left:
            _warn(f"{len(left)} containers of sensor {self.sensor} are still there; remove them "
                  f"with: docker rm -f $(docker ps -aq --filter "
                  f"label={SENSOR_LABEL}={self.sensor})")

    def wait_pool_full(self, timeout: float = 180, settle_s: float = 1.0) -> None:
        """Returns once `pool_size` containers run, then lets Hermes go quiet: the pool's own
        start-up work must not be counted in a bench's CPU or latency."""
        deadline = time.monotonic() + timeout
        while len(docker_cli.sensor_containers(self.sensor, running_only=True)) < self.pool_size:
            if self.server.process.poll() is not None:
                raise RuntimeError(f"hermes exited while filling its pool:\n"
                                   f"{self.server.log_tail(40)}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"pool of {self.pool_size} not ready within {timeout:.0f}s:\n"
                                   f"{self.server.log_tail(40)}")
            time.sleep(0.25)
        time.sleep(settle_s)

    def log_tail(self, lines: int = 40) -> str:
        return self.server.log_tail(lines)


def remove_sensor_containers(sensor: str, timeout: float = 900) -> list[str]:
    """Removes this sensor's containers, selected by its label only; returns any it could not.
    The engine may still be working through creates and starts Hermes asked for before it
    stopped (a burst can leave hundreds queued), so containers can appear after a first pass:
    listing and removing repeats until two listings a moment apart find none."""
    deadline = time.monotonic() + timeout
    empty_listings = 0
    ids: list[str] = []
    while empty_listings < 2 and time.monotonic() < deadline:
        ids = docker_cli.docker("ps", "-aq", "--no-trunc", "--filter",
                                f"label={SENSOR_LABEL}={sensor}", check=False).stdout.split()
        if not ids:
            empty_listings += 1
            time.sleep(1)
            continue
        empty_listings = 0
        for start in range(0, len(ids), _REMOVAL_BATCH):
            remaining = max(deadline - time.monotonic(), 1)
            try:
                docker_cli.docker("rm", "-f", "-v", *ids[start:start + _REMOVAL_BATCH],
                                  check=False, timeout=min(remaining, 300))
            except subprocess.TimeoutExpired:
                pass  # listed again on the next pass, or reported when time is up
    return ids if empty_listings < 2 else []


def _warn(message: str) -> None:
    print(f"bench: WARNING: {message}", file=sys.stderr, flush=True)
