"""Issue 3 item 9: `container_pool.security.runtime: runsc` end to end. The session's container
runs under gVisor (the engine says so, and so does the kernel the attacker sees); the shell,
exec and the recording work as under runc. A runtime the engine does not know stops Hermes at
start with a message that says how to register it."""
from pathlib import Path

import pytest

from hermes_itest import docker_cli
from hermes_itest.api_endpoints import documented_endpoints, undocumented, unversioned_path
from hermes_itest.engine_proxy import EngineProxy
from hermes_itest.recording import output_text, read_cast

SECURITY_MD = Path(__file__).resolve().parents[2] / "docs" / "security.md"
GVISOR_KERNEL_RELEASE = "4.4.0"


def test_a_session_runs_under_gvisor(hermes_server, shells):
    # Through the recording engine proxy: the runtime check (GET /info) is only made with a
    # runtime configured, so this is where its documentation is checked.
    with EngineProxy() as proxy:
        run_session_under_gvisor(hermes_server, shells, proxy.base_url)
        requests = proxy.requests()
    assert ("GET", "/info") in {(method, unversioned_path(target)) for method, target in requests}
    assert not undocumented(requests, documented_endpoints(SECURITY_MD))


def run_session_under_gvisor(hermes_server, shells, base_url: str) -> None:
    server = hermes_server(overrides={"container_pool": {"security": {"runtime": "runsc"}},
                                      "docker": {"base_url": base_url}})
    shell, session = server.login_shell(shells)

    container = docker_cli.inspect(server.container_of(session))
    assert container["HostConfig"]["Runtime"] == "runsc"
    assert container["HostConfig"]["NetworkMode"] == "none"

    # PID 1 is hermes-init (static) under gVisor's ptrace platform: it answered the session
    # line and started this shell, or we would have no prompt.
    assert shell.run("uname -r").strip() == GVISOR_KERNEL_RELEASE
    assert "Starting gVisor" in shell.run("dmesg | head -n 3")
    assert "gvisor-7" in shell.run("echo gvisor-$((3+4))")
    assert shell.exit() == 0
    server.wait_for_event(session, "hermes.session.closed")

    exec_result = server.exec("uname -r; echo exec-ok >&2; exit 3")
    assert exec_result.returncode == 3, exec_result.stderr
    assert exec_result.stdout.strip() == GVISOR_KERNEL_RELEASE.encode()
    assert b"exec-ok" in exec_result.stderr

    _, cast_events = read_cast(server.cast_path(session))
    recorded = output_text(cast_events)
    assert GVISOR_KERNEL_RELEASE in recorded and "gvisor-7" in recorded
    assert server.sidecar_path(session).is_file()
    assert server.stop() == 0  # while the proxy still records: shutdown calls count too


def test_an_unknown_runtime_stops_hermes_with_the_fix(hermes_server):
    with pytest.raises(AssertionError, match="exited with code 1 before listening") as failure:
        hermes_server(overrides={"container_pool": {"security": {"runtime": "hermes-no-such-rt"}}})
    log = str(failure.value)
    assert "'hermes-no-such-rt'" in log and "/etc/docker/daemon.json" in log and "SIGHUP" in log
    assert "runsc" in log  # the runtimes the engine does offer are named
