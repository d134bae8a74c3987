"""Checks on asciicast v2 recordings: our own strict parse, plus the reference player."""
import fcntl
import json
import os
import pty
import subprocess
import termios
from pathlib import Path


def read_cast(path: Path) -> tuple[dict, list[list]]:
    """(header, events). Fails on anything asciicast v2 does not allow: a header that is not a
    version-2 object with width/height, or an event that is not [time, code, data]."""
    lines = [line for line in path.read_text(encoding="utf-8").split("\n") if line.strip()]
    assert lines, f"{path} is empty"
    header = json.loads(lines[0])
    assert isinstance(header, dict) and header.get("version") == 2, f"bad header: {lines[0]!r}"
    assert isinstance(header.get("width"), int) and isinstance(header.get("height"), int), header
    events = []
    for number, line in enumerate(lines[1:], start=2):
        event = json.loads(line)
        assert (isinstance(event, list) and len(event) == 3 and isinstance(event[0], (int, float))
                and isinstance(event[1], str) and isinstance(event[2], str)), \
            f"{path}:{number}: not an asciicast v2 event: {line[:200]!r}"
        events.append(event)
    times = [e[0] for e in events]
    assert times == sorted(times), f"{path}: event times go backwards"
    return header, events


def output_text(events: list[list]) -> str:
    return "".join(data for _, code, data in events if code == "o")


def _take_stdin_as_controlling_terminal() -> None:
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


def asciinema_cat(path: Path) -> subprocess.CompletedProcess:
    """Replays the recording through asciinema 2.2 (Debian's), the format's reference tool.
    `asciinema cat` opens /dev/tty to switch it to raw mode, and CI has no terminal: give it a
    pseudo-terminal of its own as controlling terminal, while its output still goes to a pipe so
    it is captured byte for byte."""
    env = dict(os.environ, HOME=str(path.parent))  # asciinema may write its config under HOME
    controller, terminal = pty.openpty()
    try:
        return subprocess.run(["/usr/bin/asciinema", "cat", str(path)], stdin=terminal,
                              capture_output=True, timeout=60, env=env, start_new_session=True,
                              preexec_fn=_take_stdin_as_controlling_terminal)
    finally:
        os.close(controller)
        os.close(terminal)
