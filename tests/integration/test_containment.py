"""Containment proven from inside: each test logs in as an attacker and tries to exhaust one
resource (processes, memory, CPU, disk, terminal output). The limit must hold inside the
session's own container, and Hermes must go on serving and recording. All limits are small and
every container has no network, so nothing here can hurt the host."""
import json
import re
import socket
import subprocess
import time

import paramiko

from hermes_itest import engine_stats
from hermes_itest import events as ev
from hermes_itest.config import HOSTNAME
from hermes_itest.docker_cli import inspect
from hermes_itest.recording import asciinema_cat, read_cast
from hermes_itest.ssh_client import PROMPT
from hermes_itest.waiting import wait_until

MIB = 1024 * 1024


def assert_serving(server, marker: str) -> None:
    """Hermes is alive and a fresh login runs a command in a fresh container."""
    assert server.process.poll() is None, "hermes died"
    result = server.exec(f"echo {marker}-$((40+2))")
    assert result.returncode == 0, result.stderr.decode(errors="replace")
    assert f"{marker}-42".encode() in result.stdout


def test_fork_bomb_is_held_by_the_pid_limit(hermes_server):
    pids_limit = 40
    server = hermes_server(overrides={"container_pool": {"security": {"pids_limit": pids_limit}}})
    known = server.session_ids()
    # Forks as fast as it can until the kernel refuses, leaving every child alive (they sleep),
    # so the container sits at its limit for the whole test. (A shell bomb whose processes die
    # when a fork fails, as busybox's do, can die out between two samples and then proves
    # nothing.) The session's own shell starts it in the background and becomes `sleep`
    # without forking, so it stays.
    bomber = subprocess.Popen(
        server.ssh_argv(password="toor", command="(while :; do sleep 1000 & done) 2>/dev/null & exec sleep 300"),
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        session = server.wait_for_new_session(known)
        container = server.container_of(session)
        samples = []
        deadline = time.monotonic() + 8
        while time.monotonic() < deadline:
            samples.append(engine_stats.pids(container))
            time.sleep(0.2)
        assert max(samples) <= pids_limit, f"PID limit broken: {samples}"
        assert max(samples) >= pids_limit // 2, f"the bomb never got going: {samples}"

        # Meanwhile another session is served as usual.
        assert_serving(server, "second")
    finally:
        bomber.kill()  # the attacker's client goes away; Hermes stops the bombed container
        bomber.wait(timeout=30)
    server.wait_for_event(session, "hermes.session.closed", timeout=60)
    assert not inspect(container)["State"]["Running"], "bombed container still running"
    assert_serving(server, "after")


def test_memory_bomb_is_killed_inside_the_container(hermes_server, shells):
    server = hermes_server(overrides={"container_pool": {"security": {"memory_limit": "64m"}}})
    shell, session = server.login_shell(shells, cols=200)  # the command below must not wrap at the terminal's edge
    container = server.container_of(session)
    since = time.time() - 1

    # A child shell holds 200 MiB in a variable: far beyond 64 MiB, and it really allocates.
    out = shell.run("sh -c 'x=$(head -c 200m /dev/zero | tr \"\\0\" a); echo len=${#x}'; "
                    "echo rc=$?", timeout=120)
    assert "rc=137" in out, f"the bomb was not killed: {out!r}"
    assert "len=" not in out
    wait_until(lambda: engine_stats.oom_events(container, since), 30,
               "the engine's oom event for the session container")
    # The victim was the bomb: the login shell, the container and Hermes are all still there.
    assert "still-3" in shell.run("echo still-$((1+2))")
    assert inspect(container)["State"]["Running"]
    assert_serving(server, "other")
    assert shell.exit() == 0
    server.wait_for_event(session, "hermes.session.closed")


def test_cpu_burn_stays_within_the_quota(hermes_server, shells):
    server = hermes_server(overrides={"container_pool": {"security": {"cpu_quota": 0.5}}})
    shell, session = server.login_shell(shells)
    container = server.container_of(session)

    shell.run("for i in 1 2 3 4; do (while :; do :; done) & done")
    time.sleep(2)  # let the loops get going
    cores = engine_stats.cpu_cores_used(container, 5)
    # The quota is 0.5 cores; four busy loops would take both of the machine's cores without it.
    # The lower bound only proves the loops ran (the machine is shared and may be busy).
    assert 0.1 < cores < 0.75, f"container used {cores:.2f} cores"
    assert_serving(server, "cpu")
    shell.close()
    server.wait_for_event(session, "hermes.session.closed", timeout=60)


def test_disk_fill_ends_the_session_and_keeps_the_container(hermes_server, shells):
    limit = 20 * MIB
    server = hermes_server(overrides={"container_pool": {"security": {
        "disk_limit": "20m", "disk_check_interval": 1}}})
    shell, session = server.login_shell(shells)
    container = server.container_of(session)

    shell.run("cd /root")
    # One file until it fails (RLIMIT_FSIZE stops it at the limit), then a little more beside it.
    shell.child.sendline("dd if=/dev/zero of=/root/fill bs=1M; ls -l /root/fill; "
                         "dd if=/dev/zero of=/root/fill2 bs=1M count=5; sleep 120")
    shell.child.expect("Broadcast message from root@" + re.escape(HOSTNAME), timeout=60)
    shell.child.expect("The system will reboot now!")
    shell.wait_closed(timeout=30)
    assert str(limit) in shell.text(), "the first file was not cut at the limit"

    event = server.wait_for_event(session, "hermes.session.disk_limit")
    assert event["limit"] == limit
    assert event["size"] > limit
    closed = server.wait_for_event(session, "hermes.session.closed")
    assert closed["reason"] == "disk limit exceeded"
    ev.assert_in_order(server.events(session), [
        "hermes.session.disk_limit", "hermes.log.closed", "hermes.session.closed"])

    state = inspect(container)["State"]
    assert not state["Running"], "the container was not stopped"
    assert inspect(container)["Name"].lstrip("/") == server.session_container_name(session)
    size = engine_stats.writable_layer_size(container)
    # At most the 20 MiB file, the 5 MiB one and the login's own few KiB.
    assert limit < size <= limit + 6 * MIB, f"writable layer grew to {size} bytes"

    _, cast_events = read_cast(server.cast_path(session))
    assert "The system will reboot now!" in "".join(e[2] for e in cast_events if e[1] == "o")
    assert asciinema_cat(server.cast_path(session)).returncode == 0


class ParamikoShell:
    """An interactive shell over paramiko, for floods that a pexpect transcript cannot hold."""

    def __init__(self, port: int, password: str = "toor"):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=30)
        self.transport = paramiko.Transport(self.sock)
        self.transport.start_client(timeout=30)
        self.transport.auth_password("root", password)
        self.channel = self.transport.open_session()
        self.channel.get_pty(term="xterm", width=80, height=24)
        self.channel.invoke_shell()
        self.channel.settimeout(60)
        self.received = 0

    def read_until(self, pattern: re.Pattern, timeout: float = 60) -> str:
        tail = ""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            data = self.channel.recv(65536)
            if not data:
                break
            self.received += len(data)
            tail = (tail + data.decode(errors="replace"))[-4096:]
            if pattern.search(tail):
                return tail
        raise AssertionError(f"{pattern.pattern!r} not seen; last output: {tail[-300:]!r}")

    def drain_for(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            data = self.channel.recv(65536)
            if not data:
                raise AssertionError("the channel closed during the flood")
            self.received += len(data)

    def close(self) -> None:
        self.transport.close()
        self.sock.close()


def test_output_flood_is_capped_in_the_recording_not_in_the_session(hermes_server):
    server = hermes_server(overrides={"recording": {"max_bytes": "1m"}})
    known = server.session_ids()
    shell = ParamikoShell(server.port)
    try:
        shell.read_until(PROMPT)
        session = server.wait_for_new_session(known)
        server.container_of(session)
        events_before = server.events_path.stat().st_size

        shell.channel.send("yes\n")
        # Read until well past the cap, however slow the machine is today.
        flood_deadline = time.monotonic() + 90
        while shell.received < 3 * MIB and time.monotonic() < flood_deadline:
            shell.drain_for(1)
        shell.channel.send("\x03")
        shell.channel.send("echo after-$((2+3))\n")
        # The command's output and the next prompt: the shell is usable again.
        shell.read_until(re.compile(r"after-5\r?\n" + PROMPT.pattern), timeout=120)
        flood_bytes = shell.received
        events_growth = server.events_path.stat().st_size - events_before
        shell.channel.send("exit\n")
        assert shell.channel.recv_exit_status() == 0
    finally:
        shell.close()
    server.wait_for_event(session, "hermes.session.closed")

    assert flood_bytes > 2 * MIB, f"only {flood_bytes} bytes of flood arrived"
    # The flood itself added at most a couple of events (the truncation marker among them).
    assert events_growth < 4096, f"event log grew by {events_growth} bytes during the flood"
    truncated = ev.with_id(server.events(session), "hermes.recording.truncated")
    assert len(truncated) == 1, truncated
    cast = server.cast_path(session)
    assert truncated[0]["ttylog"] == str(cast)
    assert truncated[0]["limit"] == MIB

    assert cast.stat().st_size <= MIB
    _, cast_events = read_cast(cast)
    replay = asciinema_cat(cast)
    assert replay.returncode == 0, replay.stderr.decode(errors="replace")
    assert any(e[1] == "m" for e in cast_events), "no truncation marker in the recording"
    # The keystrokes after the flood are still there (the cap keeps a reserve for input).
    assert "after-$((2+3))" in "".join(e[2] for e in cast_events if e[1] == "i")

    sidecar = json.loads(server.sidecar_path(session).read_text())
    assert sidecar["truncated"] is True
    assert sidecar["bytes_out"] >= flood_bytes
    assert sidecar["bytes_out_unrecorded"] > flood_bytes - 2 * MIB
    assert sidecar["bytes_out_unrecorded"] < sidecar["bytes_out"]
