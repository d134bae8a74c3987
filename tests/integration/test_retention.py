"""Retention against the real engine: stopped session containers beyond
retention.max_kept_containers are removed oldest first (and exported first when asked),
recordings beyond retention.max_data_size are removed oldest first, and below
retention.min_free_space a correct password gets no session. Each removal is an event.
The sweep runs at start-up and a few seconds after a session ends, which is what these tests use."""
import hashlib
import os
import tarfile
import time
from pathlib import Path


SWEEP_WAIT = 60  # seconds: a sweep follows a session's end within a few seconds


def wait_for(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = predicate()
        if found:
            return found
        time.sleep(0.2)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def run_session(server, command: str) -> tuple[str, str]:
    """One finished exec session: its id and its container's id."""
    known = server.session_ids()
    result = server.exec(command)
    assert result.returncode == 0, result.stderr.decode(errors="replace")
    session = server.wait_for_new_session(known)
    container = server.container_of(session)
    server.wait_for_event(session, "hermes.session.closed")
    return session, container


def removals(server, eventid: str) -> list[dict]:
    return [e for e in server.events() if e["eventid"] == eventid]


def session_containers(server) -> dict[str, str]:
    """{container id: state} of this sensor's session containers (pool ones left out)."""
    return {c["id"]: c["state"] for c in server.containers()
            if c["name"].startswith(f"hermes-{server.sensor}-")}


def test_count_cap_removes_the_oldest_stopped_containers(hermes_server):
    server = hermes_server(overrides={"retention": {"max_kept_containers": 1}})
    first = run_session(server, "echo one")
    second = run_session(server, "echo two")
    third = run_session(server, "echo three")

    removed = wait_for(lambda: (r := removals(server, "hermes.container.removed")) and len(r) >= 2 and r,
                       SWEEP_WAIT, "two hermes.container.removed events")
    assert [(e["session"], e["container_id"], e["reason"]) for e in removed] == [
        (first[0], first[1], "count"), (second[0], second[1], "count")]
    for event in removed:
        assert event["container_name"] == f"hermes-{server.sensor}-{event['session']}"
        assert event["stopped_at"].endswith("Z")
        assert event["export"] is None
    assert session_containers(server) == {third[1]: "exited"}


def test_export_before_removal_writes_a_verified_compressed_tar(hermes_server, tmp_path):
    export_dir = tmp_path / "exports"
    server = hermes_server(overrides={"retention": {
        "max_kept_containers": 1, "export_before_removal": True, "export_dir": str(export_dir)}})
    first = run_session(server, "echo planted-by-attacker > /root/evidence.txt")
    run_session(server, "echo second")

    exported = server.wait_for_event(first[0], "hermes.container.exported", SWEEP_WAIT)
    path = Path(exported["path"])
    assert path == export_dir / f"{first[0]}-{first[1][:12]}.tar.gz"
    data = path.read_bytes()
    assert exported["size"] == len(data)
    assert exported["shasum"] == hashlib.sha256(data).hexdigest()
    assert exported["container_id"] == first[1]
    with tarfile.open(path, "r:gz") as tar:
        names = set(tar.getnames())
        assert "etc/passwd" in names
        assert tar.extractfile("root/evidence.txt").read() == b"planted-by-attacker\n"
        assert exported["tar_size"] >= sum(m.size for m in tar.getmembers())
    # Only complete exports carry the final name; no partial file is left behind.
    assert sorted(p.name for p in export_dir.iterdir()) == [path.name]

    removed = server.wait_for_event(first[0], "hermes.container.removed", SWEEP_WAIT)
    assert removed["reason"] == "count" and removed["export"] == str(path)
    assert first[1] not in session_containers(server)


def write_recording(directory: Path, session: str, size: int, days_old: float) -> int:
    """A finished session's files as an earlier run left them; returns their total size."""
    when = time.time() - days_old * 86400
    total = 0
    for suffix, length in ((".cast", size), (".json", 100)):
        path = directory / f"{session}{suffix}"
        path.write_bytes(b"x" * length)
        os.utime(path, (when, when))
        total += length
    return total


def test_data_cap_removes_the_oldest_sessions_recordings(hermes_server):
    cap = 30 * 1024
    server = hermes_server(overrides={"retention": {"max_data_size": str(cap)}})
    recordings = server.recordings_dir
    oldest = write_recording(recordings, "aaaaaaaaaaa1", 10 * 1024, days_old=3)
    write_recording(recordings, "aaaaaaaaaaa2", 10 * 1024, days_old=2)
    write_recording(recordings, "aaaaaaaaaaa3", 10 * 1024, days_old=1)
    (recordings / "operator-notes.txt").write_bytes(b"n" * 50 * 1024)  # not ours: never counted
    session, _ = run_session(server, "echo recorded")

    removed = wait_for(lambda: removals(server, "hermes.recording.removed"), SWEEP_WAIT,
                       "a hermes.recording.removed event")
    time.sleep(3)  # events are written in batches: let the rest of this sweep's show up
    removed = removals(server, "hermes.recording.removed")
    assert [(e["session"], e["reason"], e["size"]) for e in removed] == [("aaaaaaaaaaa1", "size", oldest)]
    assert removed[0]["ttylog"] == str(recordings / "aaaaaaaaaaa1.cast")
    left = sorted(p.name for p in recordings.iterdir())
    assert "aaaaaaaaaaa1.cast" not in left and "aaaaaaaaaaa1.json" not in left
    for kept in ("aaaaaaaaaaa2.cast", "aaaaaaaaaaa3.cast", "operator-notes.txt",
                 f"{session}.cast", f"{session}.json"):
        assert kept in left


def free_bytes(path: Path) -> int:
    st = os.statvfs(path)
    return st.f_bavail * st.f_frsize


def test_low_free_space_refuses_sessions_until_the_threshold_is_met(hermes_server, tmp_path):
    # More than this filesystem has free: every correct password is refused.
    threshold = min(free_bytes(tmp_path) * 2 + 2**30, 2**50)
    server = hermes_server(overrides={"retention": {"min_free_space": str(threshold)}})
    for attempt in range(2):
        known = server.session_ids()
        result = server.exec("echo should-not-run")
        assert result.returncode != 0
        assert b"should-not-run" not in result.stdout
        session = server.wait_for_new_session(known)
        failed = server.wait_for_event(session, "hermes.login.failed")
        assert failed["reason"] == "disk space" and failed["password"] == "toor"
        assert not [e for e in server.events(session) if e["eventid"] == "hermes.login.success"]
    assert session_containers(server) == {}
    # Said once when the state changed, not once per refused login.
    assert server.log_tail(2000).count("below retention.min_free_space") == 1

    sane = hermes_server(overrides={"retention": {"min_free_space": "1m"}})
    result = sane.exec("echo served")
    assert result.returncode == 0 and b"served" in result.stdout
