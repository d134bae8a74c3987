"""logging.cowrie_compat: cowrie.json beside events.jsonl, in Cowrie's vocabulary. Each line of a
real session must have, per event id, exactly the field set and JSON types of the line Cowrie
3.0.12 itself wrote for that id (tests/integration/data/cowrie-sample.jsonl, a copy of
../shared/reference/cowrie-sample.jsonl); ids the sample lacks are checked against Cowrie's
documented field lists."""
import json
import re
import subprocess
from pathlib import Path

from hermes_itest.ssh_client import ssh_argv
from hermes_itest.waiting import wait_until

SAMPLE = Path(__file__).parent / "data" / "cowrie-sample.jsonl"
COMMON = {"session": str, "protocol": str, "src_ip": str, "src_port": int, "dst_ip": str,
          "dst_port": int, "eventid": str, "sensor": str, "uuid": str, "timestamp": str,
          "message": str}
# Cowrie ids this session produces that the sample has no line for (cowrie-events.md).
DOCUMENTED = {
    "cowrie.login.failed": {"username": str, "password": str},
    "cowrie.client.size": {"width": int, "height": int},
}
TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$")


def json_type(value):
    return bool if isinstance(value, bool) else type(value)


def shape(line: dict) -> dict:
    return {key: json_type(value) for key, value in line.items()}


def sample_shapes() -> dict:
    lines = [json.loads(text) for text in SAMPLE.read_text().splitlines() if text.strip()]
    return {line["eventid"]: shape(line) for line in lines}


def read_cowrie(server) -> list[dict]:
    path = server.events_path.parent / "cowrie.json"
    if not path.exists():
        return []
    return [json.loads(text) for text in path.read_text().splitlines() if text.strip()]


def test_cowrie_json_matches_cowries_own_lines(hermes_server, shells):
    server = hermes_server(overrides={"logging": {"cowrie_compat": True}})

    refused = subprocess.run(ssh_argv(server.port, password="wrong", command="true"),
                             capture_output=True, timeout=120)
    assert refused.returncode != 0
    known = server.session_ids()
    result = subprocess.run(
        ssh_argv(server.port, password="toor", command="uname -s; echo done",
                 extra=["-o", "SetEnv=LANG=C.UTF-8"]), capture_output=True, timeout=120)
    assert result.returncode == 0 and result.stdout.endswith(b"done\n"), result.stderr
    exec_session = server.wait_for_new_session(known)
    shell, shell_session = server.login_shell(shells)
    assert "hi-7" in shell.run("echo hi-$((3+4))")
    assert shell.exit() == 0
    for session in (exec_session, shell_session):
        server.wait_for_event(session, "hermes.session.closed")

    wanted = {"cowrie.session.connect", "cowrie.client.version", "cowrie.login.failed",
              "cowrie.login.success", "cowrie.client.var", "cowrie.session.params",
              "cowrie.command.input", "cowrie.client.size", "cowrie.log.closed",
              "cowrie.session.closed"}
    wait_until(lambda: wanted <= {line["eventid"] for line in read_cowrie(server)}, 30,
               f"cowrie.json to hold {sorted(wanted)}")
    lines = read_cowrie(server)
    assert all(line["eventid"].startswith("cowrie.") for line in lines), \
        "Hermes-only events must stay out of cowrie.json"

    samples = sample_shapes()
    checked = set()
    for line in lines:
        eventid = line["eventid"]
        if eventid in samples:
            expected = samples[eventid]
        else:
            assert eventid in DOCUMENTED, f"unexpected Cowrie id {eventid}: {line}"
            expected = {**COMMON, **DOCUMENTED[eventid]}
        assert shape(line) == expected, f"{eventid}: {shape(line)} != {expected}"
        assert TIMESTAMP.match(line["timestamp"]), line["timestamp"]
        assert line["protocol"] == "ssh" and line["sensor"] == server.sensor
        checked.add(eventid)
    assert wanted <= checked
    assert len({line["uuid"] for line in lines}) == 1, "one uuid per Hermes instance"

    # The same session ids as events.jsonl, and the command verbatim.
    sessions = {line["session"] for line in lines}
    assert {exec_session, shell_session} <= sessions
    commands = [line["input"] for line in lines if line["eventid"] == "cowrie.command.input"]
    assert "uname -s; echo done" in commands
    var = next(line for line in lines if line["eventid"] == "cowrie.client.var")
    assert (var["name"], var["value"]) == ("LANG", "C.UTF-8")


def test_no_cowrie_json_unless_asked(hermes_server):
    server = hermes_server()
    assert server.exec("true").returncode == 0
    assert not (server.events_path.parent / "cowrie.json").exists()
