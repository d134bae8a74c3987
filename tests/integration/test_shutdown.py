"""(h) SIGTERM while an attacker is still typing: a clean exit, a complete recording and event
trail, and no running container left behind."""
import json

from hermes_itest.recording import asciinema_cat, read_cast


def test_sigterm_closes_open_sessions_cleanly(hermes_server, shells):
    server = hermes_server()
    shell, session = server.login_shell(shells)
    assert "before-shutdown" in shell.run("echo before-shutdown")
    container = server.container_of(session)

    assert server.stop() == 0
    shell.wait_closed()

    cast = server.cast_path(session)
    replay = asciinema_cat(cast)
    assert replay.returncode == 0, replay.stderr.decode(errors="replace")
    read_cast(cast)  # every line, the last one included, is complete asciicast
    last_line = cast.read_text().rstrip("\n").rsplit("\n", 1)[-1]
    assert isinstance(json.loads(last_line), list)
    assert [e for e in server.events(session) if e["eventid"] == "hermes.session.closed"]

    assert server.containers(running_only=True) == []
    left = {c["id"]: c for c in server.containers()}
    assert container in left and left[container]["state"] == "exited"
    pool = [c for c in left.values() if c["name"].startswith(server.pool_container_prefix())]
    assert pool == [], f"pool containers left behind: {pool}"
