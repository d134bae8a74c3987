"""Issue 4 items 1-3: who the client is. The HASSH of its KEXINIT (OpenSSH and paramiko), the
key-exchange trace closed before any authentication, every offered public key with the
`authentication.publickey` policy, keyboard-interactive and `none` attempts, honeytokens."""
import socket
import subprocess
import time

import paramiko
import pytest

from hermes_itest.capture_clients import (PlainTransport, client_kexinit_from_verbose, hermes_memfds,
                                          key_argv, md5_hex, new_key, openssh_argv)
from hermes_itest.waiting import wait_until


def session_events(server, client_port, eventid, count=1, timeout=20):
    def read():
        session = server.session_for_client(client_port)
        found = [e for e in server.events(session) if e["eventid"] == eventid] if session else []
        return found if len(found) >= count else None
    return wait_until(read, timeout, f"{count} {eventid} from client port {client_port}")


def only_session_with(server, eventid):
    return wait_until(lambda: [e for e in server.events() if e["eventid"] == eventid], 20, eventid)


def assert_openssh_hassh_is_what_it_offered(server, host="127.0.0.1"):
    """Logs in with OpenSSH to `host`; its kex event must match its own proposal. Returns the event."""
    result = subprocess.run(
        ["sshpass", "-p", "toor", *openssh_argv(server.port, host=host, extra=[
            "-vvv", "-o", "PreferredAuthentications=password", "-o", "PubkeyAuthentication=no"],
            command="true")],
        capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    offered = client_kexinit_from_verbose(result.stderr)
    kex = only_session_with(server, "hermes.client.kex")
    assert len(kex) == 1
    event = kex[0]
    expected_algorithms = ";".join([offered["KEX algorithms"], offered["ciphers ctos"],
                                    offered["MACs ctos"], offered["compression ctos"]])
    assert event["hasshAlgorithms"] == expected_algorithms
    assert event["hassh"] == md5_hex(expected_algorithms)
    assert event["kexAlgs"] == offered["KEX algorithms"].split(",")
    assert event["keyAlgs"] == offered["host key algorithms"].split(",")
    assert event["encCS"] == offered["ciphers ctos"].split(",")
    assert event["macCS"] == offered["MACs ctos"].split(",")
    assert event["compCS"] == offered["compression ctos"].split(",")
    assert event["langCS"] == [""]
    # The version comes first, then the kex event, both before any login.
    ids = [e["eventid"] for e in server.events(event["session"])]
    assert ids.index("hermes.client.version") < ids.index("hermes.client.kex") < ids.index("hermes.login.success")
    return event


def test_openssh_hassh_matches_what_the_client_offered(hermes_server):
    server = hermes_server()
    assert_openssh_hassh_is_what_it_offered(server)


def test_openssh_over_ipv6_gets_its_hassh(hermes_server):
    # libssh's trace writer knows only IPv4; Hermes shows it IPv4 addresses for this socket.
    server = hermes_server(overrides={"server": {"host": "::1"}})
    event = assert_openssh_hassh_is_what_it_offered(server, host="::1")
    assert event["src_ip"] == "::1" and event["dst_ip"] == "::1"
    assert event["dst_port"] == server.port
    connect = [e for e in server.events(event["session"]) if e["eventid"] == "hermes.session.connect"]
    assert connect and connect[0]["src_ip"] == "::1"
    assert hermes_memfds(server.process.pid) == []


def assert_paramiko_hassh_is_what_it_offered(server, host="127.0.0.1"):
    """Starts a paramiko transport to `host`; its kex event must match its own proposal. Returns
    the event and the key-exchange trace files Hermes held open once the event was written."""
    client = PlainTransport(server.port, host=host)
    try:
        options = client.transport.get_security_options()
        event = session_events(server, client.client_port, "hermes.client.kex")[0]
        open_traces = hermes_memfds(server.process.pid)
    finally:
        client.close()
    assert event["encCS"] == list(options.ciphers)
    assert event["macCS"] == list(options.digests)
    assert [k for k in event["kexAlgs"] if k != "ext-info-c"] == list(options.kex)
    assert event["hassh"] == md5_hex(event["hasshAlgorithms"])
    assert event["src_port"] == client.client_port
    return event, open_traces


def test_paramiko_has_another_hassh(hermes_server):
    server = hermes_server()
    event, _ = assert_paramiko_hassh_is_what_it_offered(server)
    # OpenSSH 9.2's hassh (its lists start with sntrup761 and offer umac) cannot be paramiko's.
    assert "sntrup761x25519-sha512@openssh.com" not in event["kexAlgs"]


def test_dual_stack_listener_gets_the_hassh_of_ipv4_and_ipv6_clients(hermes_server):
    server = hermes_server(overrides={"server": {"host": "::"}})
    for host in ("127.0.0.1", "::1"):
        event, open_traces = assert_paramiko_hassh_is_what_it_offered(server, host)
        # Once the client's KEXINIT was read the trace is gone, as on an IPv4 listener.
        assert open_traces == []
        # An IPv4 client of the dual-stack socket is shown as IPv4, not as ::ffff:127.0.0.1.
        assert event["src_ip"] == host
        connect = [e for e in server.events(event["session"]) if e["eventid"] == "hermes.session.connect"]
        assert connect and connect[0]["src_ip"] == host


def test_kex_trace_is_closed_before_authentication(hermes_server):
    server = hermes_server()
    pid = server.process.pid
    # A client that sent only its version line: the trace is open (so this check can see it) ...
    raw = socket.create_connection(("127.0.0.1", server.port), timeout=30)
    try:
        raw.sendall(b"SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n")
        wait_until(lambda: hermes_memfds(pid), 20, "an open key-exchange trace")
    finally:
        raw.close()
    wait_until(lambda: not hermes_memfds(pid), 20, "the trace of the closed connection to go")
    # ... and a client that finished key exchange has none left before it authenticates.
    client = PlainTransport(server.port)
    try:
        session_events(server, client.client_port, "hermes.client.kex")
        assert hermes_memfds(pid) == []
        client.transport.auth_password("root", "toor-not-in-any-trace")
        assert hermes_memfds(pid) == []
    except paramiko.AuthenticationException:
        pass
    finally:
        client.close()
    failed = only_session_with(server, "hermes.login.failed")
    assert failed[0]["password"] == "toor-not-in-any-trace"


def test_connection_without_key_exchange_still_logs_its_version(hermes_server):
    server = hermes_server()
    raw = socket.create_connection(("127.0.0.1", server.port), timeout=30)
    try:
        raw.sendall(b"SSH-2.0-Go\r\n")
        version = only_session_with(server, "hermes.client.version")
    finally:
        raw.close()
    assert version[0]["version"] == "SSH-2.0-Go"
    closed = wait_until(lambda: [e for e in server.events(version[0]["session"])
                                 if e["eventid"] == "hermes.session.closed"], 20, "close")
    assert closed
    assert not [e for e in server.events() if e["eventid"] == "hermes.client.kex"]


def test_publickey_reject_logs_the_key_then_password_logs_in(hermes_server, tmp_path):
    server = hermes_server()
    key, public, fingerprint = new_key(tmp_path, "ecdsa", "id_ecdsa")
    result = subprocess.run(["sshpass", "-p", "toor", *key_argv(server.port, key)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "key-login-ok" in result.stdout
    offered = only_session_with(server, "hermes.client.fingerprint")
    assert len(offered) == 1
    assert offered[0]["fingerprint"] == fingerprint
    assert offered[0]["key"] == public
    assert offered[0]["type"] == public.split()[0] == "ecdsa-sha2-nistp256"
    assert offered[0]["username"] == "root"
    success = only_session_with(server, "hermes.login.success")
    assert success[0]["method"] == "password"


def test_publickey_accept_logs_in_with_a_signed_key(hermes_server, tmp_path):
    server = hermes_server(overrides={"authentication": {"publickey": "accept"}})
    key, public, fingerprint = new_key(tmp_path, "ed25519", "id_ed25519")
    argv = key_argv(server.port, key, user="analyst")
    argv[argv.index("PreferredAuthentications=publickey,password")] = "PreferredAuthentications=publickey"
    result = subprocess.run(argv, capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)
    assert result.returncode == 0, result.stderr
    assert "key-login-ok" in result.stdout
    offered = only_session_with(server, "hermes.client.fingerprint")
    assert len(offered) == 1, "probe and signature of one key are one event"
    assert offered[0]["fingerprint"] == fingerprint and offered[0]["type"] == "ssh-ed25519"
    assert offered[0]["key"] == public
    success = only_session_with(server, "hermes.login.success")
    assert success[0]["method"] == "publickey"
    assert success[0]["fingerprint"] == fingerprint
    assert success[0]["username"] == "analyst"
    assert not [e for e in server.events() if e["eventid"] == "hermes.honeytoken"]


def test_publickey_reject_refuses_a_key_only_client(hermes_server, tmp_path):
    server = hermes_server()
    key, _, fingerprint = new_key(tmp_path, "ed25519", "id_ed25519")
    argv = key_argv(server.port, key)
    argv[argv.index("PreferredAuthentications=publickey,password")] = "PreferredAuthentications=publickey"
    result = subprocess.run(argv, capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)
    assert result.returncode == 255
    assert "Permission denied" in result.stderr
    assert only_session_with(server, "hermes.client.fingerprint")[0]["fingerprint"] == fingerprint
    assert not [e for e in server.events() if e["eventid"] == "hermes.login.success"]


def test_honeytoken_credential_logs_in_and_raises_an_alert(hermes_server):
    server = hermes_server(overrides={"authentication": {"honeytokens": {
        "credentials": [{"username": "backup", "password": "Bait-7f3e!"}]}}})
    result = subprocess.run(["sshpass", "-p", "Bait-7f3e!", *server.ssh_argv(user="backup", command="echo in")],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    token = only_session_with(server, "hermes.honeytoken")
    assert len(token) == 1
    assert token[0]["kind"] == "credential" and token[0]["severity"] == "high"
    assert token[0]["username"] == "backup" and token[0]["password"] == "Bait-7f3e!"
    success = only_session_with(server, "hermes.login.success")
    assert success[0]["session"] == token[0]["session"] and success[0]["method"] == "password"
    wait_until(lambda: "honeytoken used" in server.log_tail(), 10, "the operator warning")
    assert any("WARN" in line.upper() and "honeytoken used" in line for line in server.log_tail().splitlines())


def test_honeytoken_key_logs_in_even_with_publickey_reject(hermes_server, tmp_path):
    key, public, fingerprint = new_key(tmp_path, "ed25519", "bait_key")
    server = hermes_server(overrides={"authentication": {"honeytokens": {"key_fingerprints": [fingerprint]}}})
    argv = key_argv(server.port, key)
    argv[argv.index("PreferredAuthentications=publickey,password")] = "PreferredAuthentications=publickey"
    result = subprocess.run(argv, capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)
    assert result.returncode == 0, result.stderr
    token = only_session_with(server, "hermes.honeytoken")
    assert len(token) == 1
    assert token[0]["kind"] == "key" and token[0]["fingerprint"] == fingerprint
    assert token[0]["severity"] == "high" and token[0]["username"] == "root"
    assert only_session_with(server, "hermes.login.success")[0]["method"] == "publickey"


def test_keyboard_interactive_follows_the_password_policy(hermes_server):
    server = hermes_server()
    prompts_seen = []

    def answer(password):
        def handler(title, instructions, prompts):
            prompts_seen.append(list(prompts))
            return [password for _ in prompts]
        return handler

    wrong = PlainTransport(server.port)
    try:
        with pytest.raises(paramiko.AuthenticationException):
            wrong.transport.auth_interactive("root", answer("nope"))
    finally:
        wrong.close()
    right = PlainTransport(server.port)
    try:
        right.transport.auth_interactive("root", answer("toor"))
        assert right.transport.is_authenticated()
    finally:
        right.close()
    assert prompts_seen[0] == [("Password: ", False)]
    failed = session_events(server, wrong.client_port, "hermes.login.failed")[0]
    assert failed["method"] == "keyboard-interactive" and failed["password"] == "nope"
    success = session_events(server, right.client_port, "hermes.login.success")[0]
    assert success["method"] == "keyboard-interactive" and success["password"] == "toor"


def test_keyboard_interactive_counts_against_max_auth_tries(hermes_server):
    server = hermes_server(overrides={"server": {"max_auth_tries": 2}})
    client = PlainTransport(server.port)
    try:
        with pytest.raises(paramiko.AuthenticationException):
            client.transport.auth_interactive("root", lambda t, i, p: ["bad1"])
        with pytest.raises((paramiko.AuthenticationException, paramiko.SSHException, EOFError)):
            client.transport.auth_interactive("root", lambda t, i, p: ["bad2"])
        wait_until(lambda: not client.transport.is_active(), 20, "the disconnect")
    finally:
        client.close()
    closed = session_events(server, client.client_port, "hermes.session.closed")[0]
    assert closed["reason"] == "Too many authentication failures"


def test_none_attempts_are_logged(hermes_server):
    server = hermes_server()
    client = PlainTransport(server.port)
    try:
        with pytest.raises(paramiko.BadAuthenticationType) as refused:
            client.transport.auth_none("scanner")
    finally:
        client.close()
    assert "password" in refused.value.allowed_types
    none = session_events(server, client.client_port, "hermes.login.none")[0]
    assert none["username"] == "scanner" and none["method"] == "none"
