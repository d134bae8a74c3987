"""Driving hermes-loadgen (bench/loadgen/): argv from keyword options, its JSON lines back.
Every mode prints one JSON object at the end; `idle` and `sessions` print one more first, when
their connections are open, and then wait (idle: for its stdin to close)."""
import json
import subprocess
import tempfile
from pathlib import Path
from typing import Optional

from hermes_itest.config import docker_socket

from .children import die_with_runner


class LoadgenError(RuntimeError):
    pass


def _argv(binary: Path, mode: str, options: dict) -> list[str]:
    argv = [str(binary), mode]
    for name, value in options.items():
        argv += [f"--{name.replace('_', '-')}", str(value)]
    return argv


def _parse_line(line: str, argv: list[str], stderr: str = "") -> dict:
    try:
        document = json.loads(line)
    except json.JSONDecodeError:
        raise LoadgenError(f"{' '.join(argv[:2])}: expected a JSON line, got {line[:200]!r}"
                           f"{_stderr_note(stderr)}") from None
    if not isinstance(document, dict):
        raise LoadgenError(f"{' '.join(argv[:2])}: expected a JSON object, got {line[:200]!r}")
    return document


def _stderr_note(stderr: str) -> str:
    tail = "\n".join(stderr.strip().splitlines()[-10:])
    return f"; its stderr:\n{tail}" if tail else ""


class RunningLoadgen:
    """A loadgen in flight: first_line() for its "open" line, finish() for its last one."""

    def __init__(self, argv: list[str]):
        self.argv = argv
        # stderr goes to a file, not a pipe: a chatty loadgen must never block on a full pipe
        # while the runner waits for a line on stdout.
        self._stderr = tempfile.TemporaryFile(mode="w+", prefix="hermes-loadgen-stderr-")
        self.process = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=self._stderr, text=True,
                                        preexec_fn=die_with_runner)

    def stderr_text(self) -> str:
        self._stderr.seek(0)
        return self._stderr.read()

    def first_line(self) -> dict:
        """Blocks until the loadgen prints its first line (a loadgen that dies says so)."""
        line = self.process.stdout.readline()
        if not line:
            self.process.wait()
            raise LoadgenError(f"{' '.join(self.argv[:2])} exited ({self.process.returncode}) "
                               f"before its first line{_stderr_note(self.stderr_text())}")
        return _parse_line(line, self.argv)

    def close_stdin(self) -> None:
        if self.process.stdin is not None:
            self.process.stdin.close()
            # communicate() would flush a closed stdin and fail: it must not see it at all.
            self.process.stdin = None

    def finish(self, timeout: float) -> dict:
        """Closes stdin (idle's signal to let go), waits, returns the last JSON line."""
        self.close_stdin()
        try:
            out, _ = self.process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            raise LoadgenError(f"{' '.join(self.argv[:2])} did not finish within {timeout:.0f}s")
        lines = [line for line in out.splitlines() if line.strip()]
        err = self.stderr_text()
        if self.process.returncode != 0 or not lines:
            raise LoadgenError(f"{' '.join(self.argv[:2])} exited {self.process.returncode} "
                               f"with {len(lines)} lines{_stderr_note(err)}")
        return _parse_line(lines[-1], self.argv, err)

    def result(self, timeout: float) -> dict:
        """For the one-line modes: waits for the end and returns the result, and the process
        is gone afterwards whatever happened."""
        with self:
            return self.finish(timeout)

    def release(self, timeout: float) -> None:
        """For idle: closes stdin, the loadgen's signal to let its connections go, and waits
        for it to exit (it has nothing more to report)."""
        self.close_stdin()
        try:
            self.process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            raise LoadgenError(f"{' '.join(self.argv[:2])} did not exit within {timeout:.0f}s "
                               f"of its stdin closing") from None

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.communicate()

    def __enter__(self) -> "RunningLoadgen":
        return self

    def __exit__(self, *exc) -> None:
        if self.process.poll() is None:
            self.kill()
        self._stderr.close()


class Loadgen:
    """The binary, and who it talks to: an SSH server (host, port, user, password) or the
    engine (docker URL, container id)."""

    def __init__(self, binary: Path):
        self.binary = binary

    def ssh(self, mode: str, port: int, user: str, password: str, **options) -> RunningLoadgen:
        target = {"host": "127.0.0.1", "port": port, "user": user, "password": password}
        return RunningLoadgen(_argv(self.binary, mode, {**target, **options}))

    def docker(self, mode: str, container: str, **options) -> RunningLoadgen:
        target = {"docker": f"unix://{docker_socket()}", "container": container}
        return RunningLoadgen(_argv(self.binary, mode, {**target, **options}))



def find_loadgen(build_dir: Path, override: Optional[Path]) -> Path:
    return override if override is not None else build_dir / "bench" / "hermes-loadgen"
