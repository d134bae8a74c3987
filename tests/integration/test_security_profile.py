"""(g) The sandbox a session lands in: Docker's view of its limits, and the view from inside."""
import re

from hermes_itest import docker_cli

MEMORY = 256 * 1024 * 1024


def cpus_of(host_config: dict) -> float:
    if host_config.get("NanoCpus"):
        return host_config["NanoCpus"] / 1e9
    assert host_config.get("CpuQuota") and host_config.get("CpuPeriod"), host_config
    return host_config["CpuQuota"] / host_config["CpuPeriod"]


def capability_names(values) -> set[str]:
    return {v.upper().removeprefix("CAP_") for v in (values or [])}


def test_session_container_is_confined(hermes_server, shells):
    server = hermes_server()
    shell, session = server.login_shell(shells)
    host = docker_cli.inspect(server.container_of(session))["HostConfig"]

    assert host["NetworkMode"] == "none"
    assert host["Memory"] == MEMORY
    assert host["MemorySwap"] == host["Memory"]
    assert abs(cpus_of(host) - 0.5) < 1e-6
    assert host["PidsLimit"] == 100
    assert "ALL" in capability_names(host["CapDrop"])
    assert capability_names(host["CapAdd"]) == {"CHOWN", "SETUID", "SETGID"}
    assert any(o.startswith("no-new-privileges") for o in host["SecurityOpt"] or []), host
    assert "/tmp" in (host.get("Tmpfs") or {})
    # disk_limit (1 GiB by default) doubles as each file's size limit.
    assert {"Name": "fsize", "Soft": 1 << 30, "Hard": 1 << 30} in (host.get("Ulimits") or []), host

    status = shell.run("cat /proc/1/status")
    assert re.search(r"^Seccomp:\s+2\s*$", status, re.MULTILINE), status
    assert re.search(r"^NoNewPrivs:\s+1\s*$", status, re.MULTILINE), status
    interfaces = re.findall(r"^\s*([\w.-]+):", shell.run("cat /proc/net/dev"), re.MULTILINE)
    assert interfaces == ["lo"], interfaces
    assert shell.exit() == 0
