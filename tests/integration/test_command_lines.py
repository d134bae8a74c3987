"""Interactive input becomes command lines: a person typing at a real OpenSSH client (`ssh -tt`
under a pty), with mistakes and corrections, produces exactly the lines the shell ran as
hermes.command.input events (mode "interactive"); exec commands stay verbatim (mode "exec").

With HERMES_WRITE_TYPING_FIXTURES=1 the client's bytes as Hermes recorded them (the .cast input
events) are written to tests/unit/session/fixtures/ for the LineEditor unit tests."""
import json
import os
import time
from pathlib import Path

from hermes_itest import events as ev
from hermes_itest.recording import read_cast
from hermes_itest.ssh_client import PROMPT

FIXTURES = Path(__file__).resolve().parents[1] / "unit" / "session" / "fixtures"

# (keys typed, the line the shell runs, what it prints). Keys go out one by one, as typed.
CORRECTIONS = [
    ("echo ab\x7f\x7fcorrected-1\r", "echo corrected-1", "corrected-1"),
    ("echo wrong\x15echo corrected-2\r", "echo corrected-2", "corrected-2"),
    ("echo junk word\x17corrected-3\r", "echo junk corrected-3", "junk corrected-3"),
    ("echo corrcted-4" + "\x1b[D" * 6 + "e\r", "echo corrected-4", "corrected-4"),
    ("rm -rf /tmp/x\x03", None, None),
    ("\x1b[A\r", "echo corrected-4", "corrected-4"),
    ("cho corrected-5\x01e\r", "echo corrected-5", "corrected-5"),
    ("echo corrected-6X\x1b[D\x1b[3~\r", "echo corrected-6", "corrected-6"),
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


def test_typed_corrections_become_the_lines_the_shell_ran(hermes_server, shells):
    server = hermes_server()
    shell, session = server.login_shell(shells)
    for keys, _, printed in CORRECTIONS:
        type_keys(shell, keys)
        if printed is not None:
            # The shell's own line editor ran the same line: its output proves it.
            shell.child.expect_exact(printed + "\r\n")
        shell.child.expect(PROMPT)
    assert shell.exit() == 0
    server.wait_for_event(session, "hermes.session.closed")

    expected = [line for _, line, _ in CORRECTIONS if line is not None] + ["exit"]
    session_events = server.events(session)
    assert interactive_lines(session_events) == expected
    for event in ev.with_id(session_events, "hermes.command.input"):
        assert event["message"] == "CMD: " + event["input"]

    _, cast_events = read_cast(server.cast_path(session))
    if os.environ.get("HERMES_WRITE_TYPING_FIXTURES"):
        write_fixture("openssh_corrections", cast_events, expected)


def test_exec_commands_are_logged_verbatim_with_their_mode(hermes_server):
    server = hermes_server()
    result = server.exec("echo  two   spaces\tand a tab")
    assert result.returncode == 0
    session = server.session_ids()[-1]
    server.wait_for_event(session, "hermes.session.closed")
    inputs = ev.with_id(server.events(session), "hermes.command.input")
    assert [(e["input"], e["mode"]) for e in inputs] == [("echo  two   spaces\tand a tab", "exec")]
