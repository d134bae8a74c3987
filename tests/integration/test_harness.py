"""The harness's own pieces, checked without a server: if these break, every other failure in
this suite would be misleading."""
import json
import socket

import pytest

from hermes_itest import events as ev
from hermes_itest.config import build_config, deep_merge
from hermes_itest.recording import read_cast
from hermes_itest.server import free_tcp_port, is_listening
from hermes_itest.ssh_client import PROMPT, ssh_argv
from hermes_itest.yaml_writer import to_yaml


def test_yaml_writer_emits_block_yaml_with_quoted_strings():
    text = to_yaml({"server": {"port": 2222, "host": "127.0.0.1", "on": True},
                    "creds": [{"username": "root", "password": "to: or"}, {"username": "a",
                                                                           "password": "#x"}],
                    "empty": [], "ratio": 0.5, "nothing": None})
    assert text == (
        "server:\n"
        "  port: 2222\n"
        '  host: "127.0.0.1"\n'
        "  on: true\n"
        "creds:\n"
        '  - username: "root"\n'
        '    password: "to: or"\n'
        '  - username: "a"\n'
        '    password: "#x"\n'
        "empty: []\n"
        "ratio: 0.5\n"
        "nothing: null\n")


def test_yaml_writer_refuses_unknown_types():
    with pytest.raises(TypeError):
        to_yaml({"x": object()})


def test_deep_merge_merges_mappings_and_replaces_the_rest():
    base = {"a": {"b": 1, "c": [1, 2]}, "d": 1}
    merged = deep_merge(base, {"a": {"c": [3]}, "e": 2})
    assert merged == {"a": {"b": 1, "c": [3]}, "d": 1, "e": 2}
    assert base == {"a": {"b": 1, "c": [1, 2]}, "d": 1}  # the base is not modified


def test_build_config_keeps_everything_in_the_workdir(tmp_path):
    config = build_config(tmp_path, 4022, "itest-x", accept_all_after_failures=3,
                          credentials=[("root", "a"), ("root", "b")],
                          overrides={"container_pool": {"size": 1}})
    assert config["server"]["port"] == 4022 and config["server"]["sensor_name"] == "itest-x"
    assert config["authentication"]["static_credentials"] == [
        {"username": "root", "password": "a"}, {"username": "root", "password": "b"}]
    assert config["authentication"]["accept_all_after_failures"] == 3
    assert config["container_pool"]["size"] == 1
    assert config["container_pool"]["security"]["pids_limit"] == 100  # merge kept siblings
    for path in (config["server"]["host_key_path"], config["recording"]["output_dir"],
                 config["logging"]["output_dir"]):
        assert path.startswith(str(tmp_path))


def test_read_events_skips_a_partial_last_line_and_rejects_garbage(tmp_path):
    log = tmp_path / "events.jsonl"
    assert ev.read_events(log) == []
    log.write_text('{"eventid": "a", "session": "s1"}\n\n{"eventid": "b", "sess')
    assert ev.read_events(log) == [{"eventid": "a", "session": "s1"}]
    log.write_text('{"eventid": "a"}\nnot json\n')
    with pytest.raises(ev.MalformedEventLog, match=":2:"):
        ev.read_events(log)
    log.write_text('[1, 2]\n')
    with pytest.raises(ev.MalformedEventLog):
        ev.read_events(log)


def test_session_lookup_by_client_port_or_last():
    events = [{"eventid": "hermes.session.connect", "session": "s1", "src_port": 5000},
              {"eventid": "hermes.login.failed", "session": "s1"},
              {"eventid": "hermes.session.connect", "session": "s2", "src_port": 5001}]
    assert ev.session_for_client(events, 5000) == "s1"
    assert ev.session_for_client(events) == "s2"
    assert ev.session_for_client(events, 6000) is None
    assert ev.session_ids(events) == ["s1", "s2"]


def test_assert_in_order_detects_missing_and_swapped_events():
    events = [{"eventid": i} for i in ("a", "b", "x", "c")]
    ev.assert_in_order(events, ["a", "b", "c"])
    with pytest.raises(AssertionError, match="missing"):
        ev.assert_in_order(events, ["a", "d"])
    with pytest.raises(AssertionError, match="order"):
        ev.assert_in_order(events, ["c", "a"])
    ev.assert_in_order(events, ["a", {"x", "b"}, "c"])  # a set's members may come in any order
    with pytest.raises(AssertionError, match="order"):
        ev.assert_in_order(events, [{"a", "c"}, "x"])


def test_read_cast_accepts_v2_and_rejects_bad_events(tmp_path):
    cast = tmp_path / "s.cast"
    cast.write_text(json.dumps({"version": 2, "width": 80, "height": 24}) + "\n"
                    + json.dumps([0.1, "o", "hi"]) + "\n" + json.dumps([0.2, "r", "132x40"]) + "\n")
    header, events = read_cast(cast)
    assert header["width"] == 80 and events[1] == [0.2, "r", "132x40"]
    cast.write_text(json.dumps({"version": 2, "width": 80, "height": 24}) + "\n"
                    + json.dumps([0.1, "o"]) + "\n")
    with pytest.raises(AssertionError):
        read_cast(cast)


def test_ssh_argv_is_password_only_and_hermetic():
    argv = ssh_argv(2022, user="admin", password="pw", command="id")
    assert argv[:3] == ["sshpass", "-p", "pw"]
    assert argv[-2:] == ["admin@127.0.0.1", "id"]
    assert "PreferredAuthentications=password" in argv and "PubkeyAuthentication=no" in argv
    assert argv[argv.index("-p", 3) + 1] == "2022" and argv[argv.index("-F") + 1] == "/dev/null"
    assert "-tt" in ssh_argv(2022, tty=True) and ssh_argv(2022)[0] == "ssh"


def test_prompt_pattern_matches_a_busybox_root_prompt_only_at_its_end():
    assert PROMPT.search("\r\nroot@prod-web-01:~# ")
    assert PROMPT.search("admin@prod-web-01:/tmp$ ")
    assert not PROMPT.search("hello-42\r\n")


def test_listening_check_sees_a_listener_without_connecting():
    port = free_tcp_port()
    assert not is_listening(port)
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", port))
        listener.listen()
        assert is_listening(port)
