"""(d) Password authentication seen from paramiko on a single connection: the
accept-all-after-N-failures policy, every attempt logged in order, and a username listed with
two passwords."""
import socket

import paramiko
import pytest

from hermes_itest.waiting import wait_until


class Connection:
    """One TCP connection with an SSH transport on it; the client port identifies the session."""

    def __init__(self, port: int):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=30)
        self.client_port = self.sock.getsockname()[1]
        self.transport = paramiko.Transport(self.sock)
        self.transport.start_client(timeout=30)

    def try_password(self, username: str, password: str) -> bool:
        try:
            self.transport.auth_password(username, password)
        except paramiko.AuthenticationException:
            return False
        return self.transport.is_authenticated()

    def close(self):
        self.transport.close()
        self.sock.close()


@pytest.fixture
def connect():
    opened = []

    def open_connection(server):
        connection = Connection(server.port)
        opened.append(connection)
        return connection

    yield open_connection
    for connection in opened:
        connection.close()


def logged_attempts(server, client_port: int, count: int) -> list[tuple]:
    """(eventid, username, password) of the session's login events, once `count` are written
    (events may land just after the client has its answer)."""
    def read():
        session = server.session_for_client(client_port)
        found = [(e["eventid"], e.get("username"), e.get("password"))
                 for e in server.events(session)
                 if e["eventid"] in ("hermes.login.failed", "hermes.login.success")] \
            if session else []
        return found if len(found) >= count else None
    return wait_until(read, 15, f"{count} login events from client port {client_port}")


def test_any_password_is_accepted_after_three_failures(hermes_server, connect):
    server = hermes_server(accept_all_after_failures=3)
    connection = connect(server)
    wrong = ["wrong-1", "wrong-2", "wrong-3"]
    for password in wrong:
        assert not connection.try_password("root", password), f"{password} was accepted"
    assert connection.try_password("root", "still-wrong-4")

    expected = [("hermes.login.failed", "root", p) for p in wrong]
    expected.append(("hermes.login.success", "root", "still-wrong-4"))
    assert logged_attempts(server, connection.client_port, 4) == expected


def test_wrong_passwords_never_succeed_when_the_policy_is_off(hermes_server, connect):
    server = hermes_server(accept_all_after_failures=0)
    connection = connect(server)
    answered = 0
    for number in range(1, 6):
        try:
            accepted = connection.try_password("root", f"wrong-{number}")
        except paramiko.SSHException:
            # Hanging up after several failures is what sshd does too, but not before the 4th.
            assert number > 3, f"the server hung up after only {number - 1} failures"
            break
        assert not accepted, f"wrong password #{number} was accepted"
        answered += 1
    logged = logged_attempts(server, connection.client_port, answered)
    assert logged[:answered] == [("hermes.login.failed", "root", f"wrong-{n}")
                                 for n in range(1, answered + 1)]
    assert "hermes.login.success" not in [eventid for eventid, _, _ in logged]


def test_a_username_listed_twice_accepts_both_passwords(hermes_server, connect):
    server = hermes_server(accept_all_after_failures=0,
                           credentials=[("root", "toor"), ("root", "123456"), ("admin", "admin")])
    for password in ("toor", "123456"):
        assert connect(server).try_password("root", password), f"root/{password} refused"
    assert not connect(server).try_password("root", "admin")


def test_connection_is_dropped_after_max_auth_tries(hermes_server, connect):
    server = hermes_server(accept_all_after_failures=0, overrides={"server": {"max_auth_tries": 4}})
    connection = connect(server)
    for attempt in range(4):
        assert not connection.try_password("root", f"wrong-{attempt}")
    # The 4th failure ends the connection, as sshd does at MaxAuthTries.
    wait_until(lambda: not connection.transport.is_active(), 15, "the server to disconnect")
    with pytest.raises(paramiko.SSHException):
        connection.transport.auth_password("root", "toor")
    assert [a[0] for a in logged_attempts(server, connection.client_port, 4)] == \
        ["hermes.login.failed"] * 4
    session = server.session_for_client(connection.client_port)
    closed = wait_until(lambda: [e for e in server.events(session)
                                 if e["eventid"] == "hermes.session.closed"] or None,
                        15, "the session.closed event")
    assert closed[0]["reason"] == "Too many authentication failures"
