"""The Docker reference for login and throughput: one started container of the same image,
with the same limits a Hermes pool container gets (network none, memory, CPU quota, pids,
capabilities), so `docker exec` into it pays exactly the costs a Hermes session would pay
without Hermes in between. Its main process only sleeps; it is removed by its id."""
import subprocess
import sys

from hermes_itest import docker_cli

from .hermes_under_test import BENCH_IMAGE, shipped_config


def _limits_of_pool_containers() -> list[str]:
    security = shipped_config()["container_pool"]["security"]
    args = ["--network", "none", "--memory", str(security["memory_limit"]),
            "--cpus", str(security["cpu_quota"]), "--pids-limit", str(security["pids_limit"])]
    capabilities = security.get("capabilities", {})
    args += [f"--cap-drop={name}" for name in capabilities.get("drop", [])]
    args += [f"--cap-add={name}" for name in capabilities.get("add", [])]
    args += [f"--security-opt={option}" for option in security.get("security_opt", [])]
    return args


class ReferenceContainer:
    def __init__(self):
        self.id = ""

    def __enter__(self) -> "ReferenceContainer":
        self.id = docker_cli.docker(
            "run", "-d", "--label", "hermes.bench=reference", *_limits_of_pool_containers(),
            "--entrypoint", "/bin/sleep", BENCH_IMAGE, "86400").stdout.strip()
        return self

    def __exit__(self, *exc) -> None:
        """Never raises: a busy engine must not cost the run its figures; it is reported."""
        if not self.id:
            return
        try:
            docker_cli.docker("rm", "-f", "-v", self.id, check=False, timeout=300)
        except subprocess.TimeoutExpired:
            print(f"bench: WARNING: the reference container {self.id} was not removed in time; "
                  f"remove it with: docker rm -f {self.id}", file=sys.stderr)
        self.id = ""
