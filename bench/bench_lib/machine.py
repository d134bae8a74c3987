"""Where and on what the figures were measured: they mean little without it."""
import os
import platform
import subprocess
from pathlib import Path

from hermes_itest import docker_cli

from . import REPO_ROOT


def _first_value(path: str, field: str) -> str:
    try:
        for line in Path(path).read_text().splitlines():
            if line.startswith(field):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown"


def machine_info() -> dict:
    docker = docker_cli.docker("version", "--format", "{{.Server.Version}}", check=False)
    return {
        "cpu": _first_value("/proc/cpuinfo", "model name"),
        "cores": os.cpu_count(),
        "kernel": platform.release(),
        "memory": _first_value("/proc/meminfo", "MemTotal"),
        "docker": docker.stdout.strip() or "unknown",
    }


def git_commit() -> str:
    described = subprocess.run(["git", "-C", str(REPO_ROOT), "describe", "--always", "--dirty"],
                               capture_output=True, text=True)
    return described.stdout.strip() or "unknown"
