"""Issue 4 item 7: forwarding and other requests. direct-tcpip (ssh -L, ssh -D) is accepted,
logged with its destination and the first bytes, and never connected anywhere; -R, agent and
X11 requests are logged and refused; signals are logged."""
import os
import socket
import subprocess
import time

import paramiko

from hermes_itest.capture_clients import PlainTransport, openssh_argv
from hermes_itest.server import free_tcp_port, is_listening
from hermes_itest.waiting import wait_until


def events_of(server, eventid):
    return [e for e in server.events() if e["eventid"] == eventid]


def wait_events(server, eventid, count=1, timeout=30):
    return wait_until(lambda: (lambda found: found if len(found) >= count else None)(events_of(server, eventid)),
                      timeout, f"{count} {eventid}")


def password_ssh(server, extra, command=None):
    return ["sshpass", "-p", "toor", *openssh_argv(server.port, extra=[
        "-o", "PreferredAuthentications=password", "-o", "PubkeyAuthentication=no",
        "-o", "LogLevel=ERROR", *extra], command=command)]


def test_local_forward_is_logged_with_its_bytes_and_never_connected(hermes_server):
    server = hermes_server()
    # A real listener as the requested destination: if Hermes ever connected, it would show.
    target = socket.socket()
    target.bind(("127.0.0.1", 0))
    target.listen(8)
    target.settimeout(0.5)
    target_port = target.getsockname()[1]
    local_port = free_tcp_port()
    client = subprocess.Popen(password_ssh(server, ["-N", "-L", f"{local_port}:127.0.0.1:{target_port}"]),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        wait_until(lambda: is_listening(local_port), 60, "ssh -L listening")
        sent = b"GET /admin HTTP/1.0\r\nHost: intranet\r\n\r\n\x00\xff"
        with socket.create_connection(("127.0.0.1", local_port), timeout=10) as app:
            app.sendall(sent)
            app.settimeout(20)
            reply = app.recv(100)  # Hermes closes the channel; the client closes this socket
        assert reply == b""
        data = wait_events(server, "hermes.direct-tcpip.data")[0]
        request = events_of(server, "hermes.direct-tcpip.request")[0]
        assert request["dst_ip"] == "127.0.0.1" and request["dst_port"] == target_port
        assert request["orig_ip"] == "127.0.0.1" and isinstance(request["orig_port"], int)
        assert request["accepted"] is True and request["src_port"] != target_port
        assert data["dst_port"] == target_port and data["id"] == request["id"]
        assert data["data"] == "GET /admin HTTP/1.0\\r\\nHost: intranet\\r\\n\\r\\n\\x00\\xff"
        assert data["size"] == len(sent)
        try:
            target.accept()
            raise AssertionError("Hermes connected to the requested destination")
        except socket.timeout:
            pass
    finally:
        client.terminate()
        client.wait(timeout=30)
        target.close()


def test_dynamic_forward_names_the_socks_destination(hermes_server):
    server = hermes_server()
    socks_port = free_tcp_port()
    client = subprocess.Popen(password_ssh(server, ["-N", "-D", str(socks_port)]),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        wait_until(lambda: is_listening(socks_port), 60, "ssh -D listening")
        with socket.create_connection(("127.0.0.1", socks_port), timeout=10) as app:
            # SOCKS4a request for example.org:25, then an SMTP greeting attempt.
            app.sendall(b"\x04\x01\x00\x19\x00\x00\x00\x01x\x00example.org\x00")
            app.settimeout(20)
            app.recv(8)
            app.sendall(b"EHLO spam\r\n")
            request = wait_events(server, "hermes.direct-tcpip.request")[0]
            assert request["dst_ip"] == "example.org" and request["dst_port"] == 25
            data = wait_events(server, "hermes.direct-tcpip.data")[0]
        assert data["data"] == "EHLO spam\\r\\n"
    finally:
        client.terminate()
        client.wait(timeout=30)


def test_remote_forward_is_refused_and_logged(hermes_server):
    server = hermes_server()
    result = subprocess.run(password_ssh(server, ["-N", "-o", "ExitOnForwardFailure=yes",
                                                  "-R", "0.0.0.0:9922:127.0.0.1:22"]),
                            capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    assert "remote port forwarding failed" in result.stderr.lower() or "forwarding" in result.stderr.lower()
    request = wait_events(server, "hermes.tcpip-forward.request")[0]
    assert request["bind_ip"] == "0.0.0.0" and request["bind_port"] == 9922


def test_agent_and_x11_requests_are_logged_and_refused(hermes_server, tmp_path):
    server = hermes_server()
    agent_socket = tmp_path / "agent.sock"
    agent = subprocess.Popen(["ssh-agent", "-D", "-a", str(agent_socket)],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_until(agent_socket.exists, 20, "ssh-agent socket")
        env = dict(os.environ, SSH_AUTH_SOCK=str(agent_socket), DISPLAY="127.0.0.1:42")
        result = subprocess.run(password_ssh(server, ["-A", "-X"], command="echo $SSH_AUTH_SOCK-$DISPLAY-done"),
                                capture_output=True, text=True, timeout=120, env=env)
    finally:
        agent.terminate()
        agent.wait(timeout=30)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "--done"  # neither forwarding was set up
    assert wait_events(server, "hermes.client.agent")[0]["channel"] == 0
    assert wait_events(server, "hermes.client.x11")


def test_signals_are_logged(hermes_server):
    server = hermes_server()
    client = PlainTransport(server.port)
    try:
        client.transport.auth_password("root", "toor")
        channel = client.transport.open_session()
        channel.exec_command("sleep 30")
        # paramiko has no signal API; this is the RFC 4254 §6.9 request as a client sends it.
        message = paramiko.Message()
        message.add_byte(paramiko.common.cMSG_CHANNEL_REQUEST)
        message.add_int(channel.remote_chanid)
        message.add_string("signal")
        message.add_boolean(False)
        message.add_string("INT")
        client.transport._send_user_message(message)
        signal = wait_until(lambda: events_of(server, "hermes.client.signal"), 30, "hermes.client.signal")[0]
    finally:
        client.close()
    assert signal["signal"] == "INT" and signal["channel"] == 0
