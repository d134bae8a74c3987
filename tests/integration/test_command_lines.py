"""Interactive input becomes command lines: a person typing at a real OpenSSH client (`ssh -tt`
under a pty), with mistakes and corrections, produces exactly the lines the shell ran as
hermes.command.input events (mode "interactive"); exec commands stay verbatim (mode "exec").

With HERMES_WRITE_TYPING_FIXTURES=1 the client's bytes as Hermes recorded them (the .cast input
events) are written to tests/unit/session/fixtures/ for the LineEditor unit tests."""
import json
import os
import re
import subprocess
import time
from pathlib import Path

import pytest

from hermes_itest import events as ev
from hermes_itest.config import DEBIAN_IMAGE
from hermes_itest.recording import read_cast
from hermes_itest.ssh_client import PROMPT

FIXTURES = Path(__file__).resolve().parents[1] / "unit" / "session" / "fixtures"

# (keys typed, the line reported, what the shell prints: a line of its own, so that it cannot
# be the echo of the typed keys). Keys go out one by one, as typed.
ASH_CORRECTIONS = [
    ("echo ab\x7f\x7fcorrected-1\r", "echo corrected-1", "corrected-1"),
    ("echo wrong\x15echo corrected-2\r", "echo corrected-2", "corrected-2"),
    ("echo junk word\x17corrected-3\r", "echo junk corrected-3", "junk corrected-3"),
    ("echo corrcted-4" + "\x1b[D" * 6 + "e\r", "echo corrected-4", "corrected-4"),
    ("rm -rf /tmp/x\x03", None, None),
    ("\x1b[A\r", "echo corrected-4", "corrected-4"),
    ("cho corrected-5\x01e\r", "echo corrected-5", "corrected-5"),
    ("echo corrected-6X\x1b[D\x1b[3~\r", "echo corrected-6", "corrected-6"),
]

# bash's readline: bracketed paste, Home/End, Meta-Backspace, ^K, ^W, history, and a Tab whose
# completion the input cannot show (bash runs `cat /etc/hostname`; the line keeps the Tab).
BASH_CORRECTIONS = [
    ("\x1b[200~echo pasted-7\x1b[201~\r", "echo pasted-7", "pasted-7"),
    ("cho home-8\x1b[He\x1b[F.\r", "echo home-8.", "home-8."),
    ("echo word-9 junk\x1b\x7f\r", "echo word-9 ", "word-9"),
    ("echo kill-10 tail\x1b[D\x1b[D\x1b[D\x1b[D\x1b[D\x0b\r", "echo kill-10", "kill-10"),
    ("echo a b\x17\x17rubout-11\r", "echo rubout-11", "rubout-11"),
    ("echo first-12\r", "echo first-12", "first-12"),
    ("\x1b[A\x1b[A\x1b[B\x15echo after-13\r", "echo after-13", "after-13"),
    ("\x1b[A\x1b[A\r", "echo first-12", "first-12"),
    ("cat /etc/hostnam\t\r", "cat /etc/hostnam\t", None),
]


def type_keys(shell, keys: str) -> None:
    for key in _keys(keys):
        shell.child.send(key)
        time.sleep(0.02)


def _keys(text: str):
    """Splits typed text into keys: an escape sequence is one key, as a terminal sends it."""
    i = 0
    while i < len(text):
        if text.startswith("\x1b[3~", i):
            yield text[i:i + 4]
            i += 4
        elif text.startswith("\x1b[20", i):  # a paste: its markers and text arrive at once
            end = text.index("\x1b[201~", i) + 6
            yield text[i:end]
            i = end
        elif text.startswith("\x1b[", i):
            yield text[i:i + 3]
            i += 3
        else:
            yield text[i]
            i += 1


def interactive_lines(session_events):
    return [e["input"] for e in ev.with_id(session_events, "hermes.command.input")
            if e.get("mode") == "interactive"]


def write_fixture(name: str, cast_events: list, expected: list[str]) -> None:
    typed = "".join(data for _, code, data in cast_events if code == "i")
    FIXTURES.mkdir(parents=True, exist_ok=True)
    (FIXTURES / f"{name}.bin").write_bytes(typed.encode("utf-8"))
    (FIXTURES / f"{name}.lines").write_text(json.dumps(expected, indent=1) + "\n")


@pytest.mark.parametrize("shell_name", ["ash", "bash"])
def test_typed_corrections_become_the_lines_the_shell_ran(hermes_server, shells, shell_name):
    if shell_name == "bash":
        server = hermes_server(overrides={"container_pool": {"image": DEBIAN_IMAGE}})
        scenario = BASH_CORRECTIONS
    else:
        server = hermes_server()  # busybox ash
        scenario = ASH_CORRECTIONS
    shell, session = server.login_shell(shells)
    for keys, _, printed in scenario:
        type_keys(shell, keys)
        if printed is not None:
            # The shell's own line editor ran the same line: its output proves it.
            # (bash ends bracketed-paste mode with ESC[?2004l CR before running the line.)
            shell.child.expect("[\r\n]" + re.escape(printed) + "\r\n")
        shell.child.expect(PROMPT)
    assert shell.exit() == 0
    server.wait_for_event(session, "hermes.session.closed")

    expected = [line for _, line, _ in scenario if line is not None] + ["exit"]
    session_events = server.events(session)
    assert interactive_lines(session_events) == expected
    for event in ev.with_id(session_events, "hermes.command.input"):
        assert event["message"] == "CMD: " + event["input"]

    _, cast_events = read_cast(server.cast_path(session))
    if os.environ.get("HERMES_WRITE_TYPING_FIXTURES"):
        write_fixture(f"openssh_{shell_name}_corrections", cast_events, expected)


def test_exec_commands_are_logged_verbatim_with_their_mode(hermes_server):
    server = hermes_server()
    result = server.exec("echo  two   spaces\tand a tab")
    assert result.returncode == 0
    session = server.session_ids()[-1]
    server.wait_for_event(session, "hermes.session.closed")
    inputs = ev.with_id(server.events(session), "hermes.command.input")
    assert [(e["input"], e["mode"]) for e in inputs] == [("echo  two   spaces\tand a tab", "exec")]


def test_commands_piped_into_a_shell_without_pty_are_lines(hermes_server):
    server = hermes_server()
    result = subprocess.run(server.ssh_argv(password="toor", extra=["-T"]),
                            input=b"echo piped-1\nuname -s\n", capture_output=True, timeout=120)
    assert result.stdout == b"piped-1\nLinux\n", result.stderr
    session = server.session_ids()[-1]
    server.wait_for_event(session, "hermes.session.closed")
    assert interactive_lines(server.events(session)) == ["echo piped-1", "uname -s"]
