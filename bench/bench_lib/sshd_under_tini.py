"""The reference server for brute-force cost: Debian 12's own sshd 9.2p1, run from a chroot of
the Debian target image's filesystem with the persona's sshd_config, under tini as a subreaper.

Why the subreaper: sshd re-executes itself for every connection and those processes are not
the master's CPU until they are reaped. Under `tini -s` every one of them is reaped inside the
tree (by the master, or by tini when orphaned), so when the master is stopped and tini exits,
wait4() on tini returns the CPU of the whole server: tini's own plus every waited-for
descendant's."""
import os
import signal
import stat
import subprocess
import time
from pathlib import Path
from typing import Optional

from hermes_itest.persona_sshd import PERSONA_SSHD_CONFIG
from hermes_itest.server import free_tcp_port, is_listening

from .children import die_with_runner

HOST_KEY = "ssh_host_ed25519_key"  # Hermes signs with ed25519 too: the loadgen asks for it
# Without this sshd drops new unauthenticated connections beyond 10 (default 10:30:100), and
# the bench keeps ~128 of them open while PAM delays each answer.
MAX_STARTUPS = "10000:30:10000"


class SshdUnderTini:
    """Context manager over one sshd; stop() returns the server's total CPU seconds."""

    def __init__(self, rootfs: Path):
        self.rootfs = rootfs
        self.port = free_tcp_port()
        self.process: Optional[subprocess.Popen] = None
        self._dir_in_chroot = f"/tmp/bench-sshd-{self.port}"
        self._dir = rootfs / self._dir_in_chroot.lstrip("/")
        self.log_path = self._dir / "sshd.log"
        self._prepare()

    def _prepare(self) -> None:
        self._dir.mkdir(parents=True)
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "bench",
                        "-f", str(self._dir / HOST_KEY)], check=True, capture_output=True)
        # sshd keeps the first value it reads for a keyword, so the bench's lines come before
        # the persona's file (which then only adds what the bench does not set).
        bench_lines = [f"Port {self.port}", "ListenAddress 127.0.0.1", "PidFile none",
                       f"HostKey {self._dir_in_chroot}/{HOST_KEY}", f"MaxStartups {MAX_STARTUPS}"]
        (self._dir / "sshd_config").write_text("\n".join(bench_lines) + "\n"
                                               + PERSONA_SSHD_CONFIG.read_text())
        # What a booted Debian has and an exported image lacks: the privilege-separation
        # directory and a /dev/null (docker export leaves /dev empty).
        (self.rootfs / "run" / "sshd").mkdir(parents=True, exist_ok=True)
        dev_null = self.rootfs / "dev" / "null"
        if not dev_null.exists():
            dev_null.parent.mkdir(exist_ok=True)
            os.mknod(dev_null, stat.S_IFCHR | 0o666, os.makedev(1, 3))

    def __enter__(self) -> "SshdUnderTini":
        argv = ["tini", "-s", "--", "chroot", str(self.rootfs), "/usr/sbin/sshd", "-D", "-e",
                "-f", f"{self._dir_in_chroot}/sshd_config"]
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=log,
                                            stderr=subprocess.STDOUT, preexec_fn=die_with_runner)
        try:
            deadline = time.monotonic() + 30
            while not is_listening(self.port):
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"sshd did not listen on {self.port}:\n{self.log_tail()}")
                time.sleep(0.05)
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, *exc) -> None:
        if self.process is not None and self.process.returncode is None:
            self.stop()

    def stop(self, connections_timeout: float = 30) -> float:
        """Lets the last connections finish, stops the master with SIGTERM (tini exits with
        it) and returns utime + stime of tini and all it waited for, in seconds."""
        master = self._master_pid()
        if master is not None:
            self._wait_no_connections(master, connections_timeout)
            os.kill(master, signal.SIGTERM)
        else:
            self.process.send_signal(signal.SIGTERM)  # tini forwards it to whatever runs
        _, status, usage = self._wait_tini(master)
        # Popen did not see the wait: tell it, so it never waits for a pid that is gone.
        self.process.returncode = os.waitstatus_to_exitcode(status)
        return usage.ru_utime + usage.ru_stime

    def _wait_tini(self, master: Optional[int], timeout: float = 30):
        """wait4 on tini; an sshd that ignores SIGTERM is killed (and its CPU still counted)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            pid, status, usage = os.wait4(self.process.pid, os.WNOHANG)
            if pid:
                return pid, status, usage
            time.sleep(0.05)
        for pid in (master, self.process.pid):
            if pid is not None:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
        return os.wait4(self.process.pid, 0)

    def _master_pid(self) -> Optional[int]:
        """tini's one child: chroot exec'd sshd, so it is the sshd master."""
        children = _children_of(self.process.pid)
        return children[0] if children else None

    @staticmethod
    def _wait_no_connections(master: int, timeout: float) -> None:
        """The per-connection processes exit a moment after the client has gone; stopping the
        master earlier would orphan them and their CPU would reach tini later or not at all."""
        deadline = time.monotonic() + timeout
        while _children_of(master) and time.monotonic() < deadline:
            time.sleep(0.05)

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no sshd log)"


def _children_of(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []
