"""One `hermes serve` process under test: its config, its data dirs, its log, its lifecycle."""
import ctypes
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional

from . import docker_cli, events as ev
from .config import build_config, new_sensor_name
from .ssh_client import InteractiveShell, ssh_argv
from .waiting import wait_until
from .yaml_writer import to_yaml

_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    """Runs in the child before exec: if pytest is killed (CI time-out), hermes gets SIGTERM
    instead of living on with its containers."""
    ctypes.CDLL("libc.so.6", use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


def free_tcp_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def is_listening(port: int) -> bool:
    """True when some socket listens on 127.0.0.1/0.0.0.0:port. Read from /proc rather than by
    connecting, so the readiness check does not show up as a session in the event log."""
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            rows = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            fields = row.split()
            local, state = fields[1], fields[3]
            if state == "0A" and int(local.rsplit(":", 1)[1], 16) == port:
                return True
    return False


@dataclass(frozen=True)
class RunAs:
    """An unprivileged account to start hermes under (instead of the test's own, root)."""
    user: str
    uid: int
    gid: int

    def argv_prefix(self) -> list[str]:
        # setpriv switches uid/gid and takes the user's supplementary groups (docker) with
        # --init-groups; changing uid from 0 clears every capability. The parent-death signal
        # is reset by a uid change, so setpriv sets it again after switching.
        return ["setpriv", f"--reuid={self.uid}", f"--regid={self.gid}", "--init-groups",
                "--pdeathsig=TERM", "--"]


class HermesServer:
    def __init__(self, binary: Path, workdir: Path, run_as: Optional[RunAs] = None,
                 **config_options):
        self.binary = binary
        self.workdir = workdir
        self.run_as = run_as
        self.sensor = new_sensor_name()
        self.port = free_tcp_port()
        self.config = build_config(workdir, self.port, self.sensor, **config_options)
        self.config_path = workdir / "hermes.yaml"
        self.log_path = workdir / "hermes.log"
        self.recordings_dir = Path(self.config["recording"]["output_dir"])
        self.artifacts_dir = Path(self.config["artifacts"]["output_dir"])
        self.events_path = Path(self.config["logging"]["output_dir"]) / "events.jsonl"
        self.process: Optional[subprocess.Popen] = None
        self.exit_code: Optional[int] = None
        self.ready = False  # listened at least once; a start failure is reported by start()

    # --- lifecycle ---------------------------------------------------------------------------
    def start(self, ready_timeout: float = 60) -> None:
        self.launch()
        self.wait_listening(ready_timeout)

    def launch(self) -> None:
        """Starts the process without waiting for it to listen. A second launch (after kill())
        runs with the same config, sensor and port, and appends to the same log."""
        self.config_path.write_text(to_yaml(self.config))
        prefix = self.run_as.argv_prefix() if self.run_as else []
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                [*prefix, str(self.binary), "serve", "--config", str(self.config_path)],
                stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                cwd=self.workdir, preexec_fn=_die_with_parent)
        self.exit_code = None

    def wait_listening(self, ready_timeout: float = 60) -> None:
        deadline = time.monotonic() + ready_timeout
        while not is_listening(self.port):
            code = self.process.poll()
            if code is not None:
                self.exit_code = code
                raise AssertionError(f"hermes exited with code {code} before listening on "
                                     f"port {self.port}; its log:\n{self.log_tail()}")
            if time.monotonic() > deadline:
                raise AssertionError(f"hermes did not listen on port {self.port} within "
                                     f"{ready_timeout:.0f}s; its log:\n{self.log_tail()}")
            time.sleep(0.1)
        self.ready = True

    def kill(self) -> None:
        """SIGKILL, as a crash: no shutdown, so containers and records stay as they were."""
        self.process.kill()
        self.process.wait()

    def restart(self, ready_timeout: float = 60) -> None:
        """A new process with the same config and sensor (after kill() or stop())."""
        self.start(ready_timeout)

    def stop(self, timeout: float = 30) -> Optional[int]:
        """SIGTERM, then wait; returns the exit code (None if it was never started). A server
        that ignores SIGTERM is killed and reported."""
        if self.process is None:
            return None
        if self.exit_code is None:
            if self.process.poll() is None:
                self.process.send_signal(signal.SIGTERM)
            try:
                self.exit_code = self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
                self.exit_code = self.process.returncode
                raise AssertionError(f"hermes did not exit within {timeout:.0f}s of SIGTERM "
                                     f"(killed)")
        return self.exit_code

    def log_tail(self, lines: int = 300) -> str:
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return "(no log written)"
        return "\n".join(text.splitlines()[-lines:])

    def events_tail(self, lines: int = 100) -> str:
        try:
            text = self.events_path.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return "(no events written)"
        return "\n".join(text.splitlines()[-lines:])

    # --- events ------------------------------------------------------------------------------
    def events(self, session: Optional[str] = None) -> list[dict]:
        all_events = ev.read_events(self.events_path)
        return all_events if session is None else ev.of_session(all_events, session)

    def session_ids(self) -> list[str]:
        return ev.session_ids(self.events())

    def session_for_client(self, src_port: Optional[int] = None, timeout: float = 15) -> Optional[str]:
        """The session of the client on `src_port` (without a port: the last to connect). A
        client can be logged in before the event writer thread has written its connect event
        (slow under ASan), so with a port this waits for it, None only after `timeout`."""
        deadline = time.monotonic() + timeout
        while True:
            found = ev.session_for_client(self.events(), src_port)
            if found is not None or src_port is None or time.monotonic() > deadline:
                return found
            time.sleep(0.05)

    def login_shell(self, shells, password: str = "toor", **size):
        """Opens an interactive shell with the `shells` fixture (size: rows=, cols=), logs in
        with `password`, and returns (shell, session id)."""
        known = self.session_ids()
        shell = shells(self, **size)
        shell.login(password)
        return shell, self.wait_for_new_session(known)

    def wait_for_new_session(self, known: list[str], timeout: float = 30) -> str:
        """The one session that connected after `known` was taken."""
        def new_ones():
            return [s for s in self.session_ids() if s not in known]
        found = wait_until(new_ones, timeout, "a new hermes.session.connect event")
        assert len(found) == 1, f"expected one new session, got {found}"
        return found[0]

    def wait_for_event(self, session: str, eventid: str, timeout: float = 30,
                       match: Callable[[dict], bool] = lambda e: True) -> dict:
        def find():
            return next((e for e in self.events(session)
                         if e.get("eventid") == eventid and match(e)), None)
        return wait_until(find, timeout, f"{eventid} for session {session}")

    def container_of(self, session: str, timeout: float = 30) -> str:
        return self.wait_for_event(session, "hermes.container.attached", timeout)["container_id"]

    # --- clients -----------------------------------------------------------------------------
    def ssh_argv(self, **options) -> list[str]:
        return ssh_argv(self.port, **options)

    def exec(self, command: str, user: str = "root", password: str = "toor",
             stdin: bytes = b"", timeout: float = 120) -> subprocess.CompletedProcess:
        """A non-interactive `ssh host command`; stdout and stderr as bytes."""
        return subprocess.run(self.ssh_argv(user=user, password=password, command=command),
                              input=stdin, capture_output=True, timeout=timeout)

    def shell(self, rows: int = 24, cols: int = 80, user: str = "root") -> InteractiveShell:
        return InteractiveShell(self.port, user=user, rows=rows, cols=cols)

    # --- recordings and containers -----------------------------------------------------------
    def cast_path(self, session: str) -> Path:
        return self.recordings_dir / f"{session}.cast"

    def sidecar_path(self, session: str) -> Path:
        return self.recordings_dir / f"{session}.json"

    def containers(self, running_only: bool = False) -> list[dict]:
        return docker_cli.sensor_containers(self.sensor, running_only)

    def session_container_name(self, session: str) -> str:
        return f"hermes-{self.sensor}-{session}"

    def pool_container_prefix(self) -> str:
        return f"hermes-pool-{self.sensor}-"
