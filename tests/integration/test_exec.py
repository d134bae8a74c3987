"""(b), (c), (i): `ssh host command` runs exactly that command, with separate streams, the
command's exit status, stdin passed through byte for byte, and shell-like errors."""
import hashlib
import os

from hermes_itest import events as ev


def test_exec_keeps_streams_apart_and_returns_the_exit_status(hermes_server):
    server = hermes_server()
    command = "echo out; echo err >&2; exit 7"
    result = server.exec(command)
    assert result.returncode == 7, result.stderr
    assert result.stdout == b"out\n"
    assert b"err" in result.stderr
    inputs = ev.with_id(server.events(), "hermes.command.input")
    assert command in [e.get("input") for e in inputs]


def test_stdin_reaches_the_command(hermes_server):
    server = hermes_server()
    result = server.exec("cat", stdin=b"hi\n")
    assert result.returncode == 0, result.stderr
    assert result.stdout == b"hi\n"


def test_one_mebibyte_through_cat_comes_back_identical(hermes_server):
    server = hermes_server()
    payload = os.urandom(1024 * 1024)
    result = server.exec("cat", stdin=payload, timeout=180)
    assert result.returncode == 0, result.stderr
    assert len(result.stdout) == len(payload)
    assert hashlib.sha256(result.stdout).hexdigest() == hashlib.sha256(payload).hexdigest()


def test_unknown_command_fails_like_a_shell_without_revealing_docker(hermes_server):
    server = hermes_server()
    result = server.exec("nosuchcmd")
    assert result.returncode == 127
    assert b"not found" in result.stderr
    for stream in (result.stdout, result.stderr):
        assert b"OCI" not in stream and b"docker" not in stream.lower(), stream
