"""authentication.failure_delay: a wrong password is answered after the persona's PAM delay
(about 1.5 to 4.7 s), never by blocking the server; a "none" request is answered at once, and
other connections go on meanwhile. Bounds are generous: only the lower ones mean anything on a
busy machine."""
import socket
import threading
import time

import paramiko
import pytest

PERSONA = {"authentication": {"failure_delay": "persona"}}


def transport_to(port: int) -> paramiko.Transport:
    sock = socket.create_connection(("127.0.0.1", port), timeout=30)
    transport = paramiko.Transport(sock)
    transport.start_client(timeout=30)
    return transport


def timed_wrong_password(transport: paramiko.Transport, username: str) -> float:
    started = time.monotonic()
    with pytest.raises(paramiko.AuthenticationException):
        transport.auth_password(username, "not-the-password")
    return time.monotonic() - started


def test_wrong_passwords_wait_and_none_does_not(hermes_server):
    server = hermes_server(accept_all_after_failures=0, overrides=PERSONA)
    transport = transport_to(server.port)
    try:
        started = time.monotonic()
        with pytest.raises(paramiko.BadAuthenticationType) as refused:
            transport.auth_none("root")
        assert time.monotonic() - started < 1.0
        assert refused.value.allowed_types == ["publickey", "password"]
        delays = [timed_wrong_password(transport, "root") for _ in range(2)]
        assert all(1.0 <= d < 15 for d in delays), delays
        # A correct password is answered at once.
        started = time.monotonic()
        transport.auth_password("root", "toor")
        assert transport.is_authenticated()
        assert time.monotonic() - started < 1.0 + 3  # no PAM delay; container lease at most
    finally:
        transport.close()


def test_a_waiting_failure_does_not_hold_other_connections(hermes_server):
    server = hermes_server(accept_all_after_failures=0, overrides=PERSONA)
    slow = transport_to(server.port)
    delays = []
    waiting = threading.Thread(target=lambda: delays.append(timed_wrong_password(slow, "admin")))
    try:
        waiting.start()
        time.sleep(0.2)
        # Meanwhile a second client connects and is answered at once.
        fast = transport_to(server.port)
        try:
            started = time.monotonic()
            with pytest.raises(paramiko.BadAuthenticationType):
                fast.auth_none("admin")
            assert time.monotonic() - started < 1.0
        finally:
            fast.close()
        waiting.join(30)
        assert delays and delays[0] >= 1.0, delays
    finally:
        slow.close()


def test_zero_answers_at_once(hermes_server):
    server = hermes_server(accept_all_after_failures=0)  # the test suite's failure_delay: 0
    transport = transport_to(server.port)
    try:
        assert timed_wrong_password(transport, "root") < 1.0
    finally:
        transport.close()
