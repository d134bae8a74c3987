"""(a) An interactive login as a person would do it, and everything it must leave behind:
the recording, its sidecar and the event trail."""
import hashlib
import json
import re

from hermes_itest import events as ev
from hermes_itest.recording import asciinema_cat, output_text, read_cast
from hermes_itest.waiting import wait_until

SIZE = re.compile(r"^(\d+) (\d+)\r?$", re.MULTILINE)


def terminal_size(shell) -> tuple[int, int]:
    match = SIZE.search(shell.run("stty size"))
    assert match, "stty size printed no size"
    return int(match.group(1)), int(match.group(2))


def test_interactive_session_is_recorded_with_resize(hermes_server, shells):
    server = hermes_server()
    shell, session = server.login_shell(shells, rows=24, cols=80)

    assert "hello-42" in shell.run("echo hello-$((6*7))")
    assert terminal_size(shell) == (24, 80)
    # The resize travels ssh -> hermes -> Docker asynchronously: allow it a moment to land.
    shell.resize(40, 132)
    wait_until(lambda: terminal_size(shell) == (40, 132), 10, "the shell to see 40x132")
    assert shell.exit() == 0

    server.wait_for_event(session, "hermes.session.closed")
    cast = server.cast_path(session)
    assert cast.is_file(), f"no recording at {cast}"
    replay = asciinema_cat(cast)
    assert replay.returncode == 0, replay.stderr.decode(errors="replace")
    assert b"hello-42" in replay.stdout

    header, cast_events = read_cast(cast)
    assert (header["width"], header["height"]) == (80, 24)
    assert ["r", "132x40"] in [e[1:] for e in cast_events], "resize not recorded"
    assert "hello-42" in output_text(cast_events)

    sidecar = json.loads(server.sidecar_path(session).read_text())
    assert sidecar["session"] == session
    assert sidecar["username"] == "root"
    assert sidecar["exit_status"] == 0
    assert sidecar["container_id"] == server.container_of(session)

    session_events = server.events(session)
    # The pty request (client.size) and the container lease run concurrently after login, so
    # those two may come in either order; everything else is strictly sequential.
    ev.assert_in_order(session_events, [
        "hermes.session.connect", "hermes.client.version", "hermes.login.success",
        {"hermes.client.size", "hermes.container.attached"}, "hermes.log.closed",
        "hermes.session.closed"])
    size = ev.with_id(session_events, "hermes.client.size")[0]
    assert (size["width"], size["height"]) == (80, 24)
    closed_log = ev.with_id(session_events, "hermes.log.closed")[0]
    cast_bytes = cast.read_bytes()
    assert closed_log["ttylog"] == str(cast)
    assert closed_log["size"] == len(cast_bytes)
    assert closed_log["shasum"] == hashlib.sha256(cast_bytes).hexdigest()
    login = ev.with_id(session_events, "hermes.login.success")[0]
    assert (login["username"], login["password"]) == ("root", "toor")
    for event in session_events:
        missing = {"timestamp", "eventid", "session", "src_ip", "src_port", "dst_ip", "dst_port",
                   "sensor", "message"} - event.keys()
        assert not missing, f"{event['eventid']} lacks {missing}"
        assert event["sensor"] == server.sensor and event["dst_port"] == server.port
