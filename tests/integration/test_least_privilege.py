"""Issue 3 item 8: Hermes needs no root. Started as a dedicated system user whose only privilege
is membership of group docker, it serves a full session: login, a command, the recording and
the event log, all written by that user. As root it warns at start."""
import grp
import os
import pwd
import re
import shutil
import socket
import stat
import subprocess
import tempfile
from pathlib import Path

import pytest

from hermes_itest.recording import output_text, read_cast
from hermes_itest.server import RunAs

TEST_USER = "hermes-itest"
DOCKER_GROUP = "docker"
DOCKER_SOCKET = "/var/run/docker.sock"
ROOT_WARNING = "running as root (uid 0)"


def ensure_system_user(name: str, group: str) -> RunAs:
    """Creates the account once (system user, no home, no login shell) and makes sure it is in
    `group`; later runs find it and change nothing."""
    try:
        pwd.getpwnam(name)
    except KeyError:
        subprocess.run(["useradd", "--system", "--user-group", "--no-create-home",
                        "--home-dir", "/nonexistent", "--shell", "/usr/sbin/nologin",
                        "--groups", group, name], check=True, capture_output=True)
    if name not in grp.getgrnam(group).gr_mem:
        subprocess.run(["usermod", "--append", "--groups", group, name], check=True,
                       capture_output=True)
    account = pwd.getpwnam(name)
    return RunAs(user=name, uid=account.pw_uid, gid=account.pw_gid)


def proc_status(pid: int) -> dict[str, str]:
    rows = Path(f"/proc/{pid}/status").read_text().splitlines()
    return {key: value.strip() for key, _, value in (row.partition(":") for row in rows)}


@pytest.fixture
def unprivileged():
    """(RunAs, workdir): the account, and a directory under /tmp that it owns (pytest's own
    temp dirs sit below a 0700 directory of root that the account cannot enter)."""
    socket_mode = os.stat(DOCKER_SOCKET)
    assert grp.getgrgid(socket_mode.st_gid).gr_name == DOCKER_GROUP, \
        "the engine socket is not owned by group docker: group membership would not help"
    assert socket_mode.st_mode & stat.S_IRWXG == stat.S_IRGRP | stat.S_IWGRP, \
        f"the engine socket is not group read/write ({oct(socket_mode.st_mode)})"
    run_as = ensure_system_user(TEST_USER, DOCKER_GROUP)
    workdir = Path(tempfile.mkdtemp(prefix="hermes-least-privilege-"))
    os.chown(workdir, run_as.uid, run_as.gid)
    yield run_as, workdir
    shutil.rmtree(workdir, ignore_errors=True)


def test_a_full_session_works_as_an_unprivileged_user(hermes_server, shells, unprivileged):
    run_as, workdir = unprivileged
    server = hermes_server(workdir=workdir, run_as=run_as)

    status = proc_status(server.process.pid)
    assert status["Name"] == "hermes", status
    assert status["Uid"].split() == [str(run_as.uid)] * 4, status["Uid"]
    assert status["Gid"].split() == [str(run_as.gid)] * 4, status["Gid"]
    assert str(grp.getgrnam(DOCKER_GROUP).gr_gid) in status["Groups"].split(), status["Groups"]
    for field in ("CapEff", "CapPrm", "CapAmb"):
        assert int(status[field], 16) == 0, f"{field} {status[field]}"
    assert ROOT_WARNING not in server.log_tail()

    shell, session = server.login_shell(shells)
    assert "least-6" in shell.run("echo least-$((2*3))")
    assert shell.exit() == 0
    server.wait_for_event(session, "hermes.session.closed")

    exec_result = server.exec("id -u")
    assert exec_result.returncode == 0, exec_result.stderr
    assert exec_result.stdout.strip() == b"0"  # root inside the container, not on the host

    _, cast_events = read_cast(server.cast_path(session))
    assert "least-6" in output_text(cast_events)
    written = [server.cast_path(session), server.sidecar_path(session), server.events_path,
               Path(server.config["server"]["host_key_path"])]
    for path in written:
        assert path.stat().st_uid == run_as.uid, f"{path} is not owned by {run_as.user}"
    assert stat.S_IMODE(written[-1].stat().st_mode) == 0o600


def free_privileged_port() -> int:
    """A port below 1024 that nothing listens on (root may bind it, the test user may not)."""
    for port in range(1023, 900, -1):
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
                return port
            except OSError:
                continue
    raise AssertionError("no free port between 901 and 1023")


def test_a_privileged_port_without_the_capability_fails_naming_it(hermes_server, unprivileged):
    run_as, workdir = unprivileged
    port = free_privileged_port()
    with pytest.raises(AssertionError, match="exited with code 1 before listening") as failure:
        hermes_server(workdir=workdir, run_as=run_as, overrides={"server": {"port": port}})
    assert f"port {port} is below 1024" in str(failure.value)
    assert "CAP_NET_BIND_SERVICE" in str(failure.value)


def test_root_gets_a_warning_naming_the_fix(hermes_server):
    assert os.geteuid() == 0, "this test compares with a hermes started as root"
    server = hermes_server()
    warnings = [line for line in server.log_tail().splitlines() if ROOT_WARNING in line]
    assert len(warnings) == 1, server.log_tail()
    assert re.search(r"group docker", warnings[0]) and "deploy/hermes.service" in warnings[0]
