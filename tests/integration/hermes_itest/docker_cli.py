"""The docker CLI, scoped to what tests need. Everything a test lists or removes is selected by
the run's own sensor label (or its unique container-name prefix): never by a broad pattern."""
import json
import os
import subprocess

from .config import SENSOR_LABEL, docker_socket


def docker(*args: str, check: bool = True, timeout: float = 60) -> subprocess.CompletedProcess:
    env = dict(os.environ, DOCKER_HOST=f"unix://{docker_socket()}")
    result = subprocess.run(["docker", *args], capture_output=True, text=True, timeout=timeout,
                            env=env, stdin=subprocess.DEVNULL)
    if check and result.returncode != 0:
        raise AssertionError(f"docker {' '.join(args)} failed ({result.returncode}): "
                             f"{result.stderr.strip()}")
    return result


def engine_answers() -> bool:
    try:
        return docker("version", "--format", "{{.Server.Version}}", check=False,
                      timeout=20).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def image_exists(image: str) -> bool:
    return docker("image", "inspect", image, check=False).returncode == 0


def sensor_containers(sensor: str, running_only: bool = False) -> list[dict]:
    """[{id, name, state}] of the containers labelled with this sensor."""
    scope = ["--filter", "status=running"] if running_only else ["--all"]
    rows = docker("ps", *scope, "--no-trunc", "--filter", f"label={SENSOR_LABEL}={sensor}",
                  "--format", "{{.ID}}\t{{.Names}}\t{{.State}}").stdout.splitlines()
    return [dict(zip(("id", "name", "state"), row.split("\t"))) for row in rows if row.strip()]


def inspect(container: str) -> dict:
    return json.loads(docker("inspect", container).stdout)[0]


def remove_sensor_containers(sensor: str) -> list[str]:
    """Force-removes the containers of this sensor: labelled ones, plus any named after it
    (hermes-<sensor>-..., hermes-pool-<sensor>-...) in case a label was not set."""
    ids = {c["id"] for c in sensor_containers(sensor)}
    for prefix in (f"hermes-{sensor}-", f"hermes-pool-{sensor}-"):
        named = docker("ps", "-aq", "--no-trunc", "--filter", f"name={prefix}").stdout.split()
        ids.update(named)
    if ids:
        docker("rm", "-f", "-v", *sorted(ids), timeout=120)
    return sorted(ids)
