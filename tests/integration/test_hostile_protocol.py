"""Hostile protocol input against one running Hermes, the way scanners and attackers send it:
garbage and endless banners, silent connections, handshakes cut at every point, floods of
channels and requests, huge strings, absurd terminal sizes, disconnects at every stage. After
the barrage Hermes still serves a normal login, its memory stayed bounded, every connection got
hermes.session.closed and every recording was closed; the event log holds bounded values."""
import json
import random
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import paramiko
import pytest

from hermes_itest import events as ev
from hermes_itest import memory
from hermes_itest import hostile_clients as hc
from hermes_itest.recording import read_cast
from hermes_itest.waiting import wait_until

GRACE = 5  # login_grace_time of this server, seconds
MAX_CHANNELS = 10  # per connection (ssh::ConnectionSettings)
MAX_TERMINAL_SIDE = 1000
LOGGED_TEXT_BOUND = 8 * 1024  # bytes of an env value or exec command kept in an event
MAX_EVENT_LINE = 64 * 1024

OVERRIDES = {
    "server": {
        "login_grace_time": GRACE,
        # Every client here comes from 127.0.0.1: admission limits must not be what is tested.
        "max_connections": 0,
        "max_connections_per_ip": 0,
        "connection_rate_per_ip": 0,
    },
}


@pytest.fixture
def server(hermes_server):
    return hermes_server(overrides=OVERRIDES)


# --- before authentication ----------------------------------------------------------------

def expect_closed(sock: socket.socket, what: str, within: float) -> bytes:
    closed, received = hc.wait_closed_by_server(sock, within)
    hc.close_quietly(sock)
    assert closed, f"{what}: connection still open after {within:.0f}s"
    return received


def garbage_banner(port: int) -> str:
    sock = hc.connect(port)
    # The server's version line first: once it closes on unread garbage, the kernel's reset
    # may discard whatever the client had not read yet.
    assert sock.recv(256).startswith(b"SSH-2.0-")
    hc.send_quietly(sock, b"GET / HTTP/1.1\r\nHost: honeypot\r\n\r\n\x00\xff\xfe" * 4)
    expect_closed(sock, "garbage instead of a banner", 20)
    return "garbage banner"


def endless_banner(port: int) -> str:
    sock = hc.connect(port)
    hc.send_quietly(sock, b"SSH-2.0-")
    sent = 0
    while sent < 8 * 1024 * 1024 and hc.send_quietly(sock, b"A" * 65536):
        sent += 65536
    expect_closed(sock, "endless banner line", 20)
    assert sent < 8 * 1024 * 1024, "Hermes read 8 MiB of one banner line without closing"
    return "endless banner"


def many_pre_banner_lines(port: int) -> str:
    sock = hc.connect(port)
    for _ in range(200):
        if not hc.send_quietly(sock, b"hello from a scanner, not ssh yet\r\n" * 100):
            break
    expect_closed(sock, "20 000 lines before the banner", GRACE + 20)
    return "pre-banner lines"


def silent_after(port: int, opening: bytes, what: str) -> str:
    sock = hc.connect(port)
    started = time.monotonic()
    if opening:
        hc.send_quietly(sock, opening)
    expect_closed(sock, what, GRACE + 25)
    # Closed by the grace timer, not at once (the timer cannot fire early).
    assert time.monotonic() - started >= GRACE - 1, f"{what}: closed before login_grace_time"
    return what


def cut_handshake(port: int, seed: int) -> str:
    """Banner and KEXINIT cut at a random byte, then the client vanishes."""
    rng = random.Random(seed)
    stream = hc.CLIENT_BANNER + hc.kexinit_packet()
    sock = hc.connect(port)
    hc.send_quietly(sock, stream[:rng.randrange(len(stream) + 1)])
    time.sleep(rng.random() * 0.2)
    sock.close()
    return "cut handshake"


def paramiko_cut_kex(port: int, seed: int) -> str:
    """A real key exchange, its socket shut at a random moment."""
    rng = random.Random(seed)
    sock = hc.connect(port)
    transport = paramiko.Transport(sock)
    timer = threading.Timer(rng.random() * 0.3, lambda: hc.close_quietly(sock))
    timer.start()
    try:
        transport.start_client(timeout=10)
    except (paramiko.SSHException, OSError, EOFError):
        pass
    timer.join()
    hc.close_quietly(transport)
    return "cut key exchange"


def preauth_barrage(port: int) -> None:
    jobs = [
        lambda: garbage_banner(port),
        lambda: endless_banner(port),
        lambda: many_pre_banner_lines(port),
        lambda: silent_after(port, b"", "never speaks"),
        lambda: silent_after(port, hc.CLIENT_BANNER, "banner then silence"),
        lambda: silent_after(port, hc.CLIENT_BANNER + hc.kexinit_packet(), "KEXINIT then silence"),
    ]
    jobs += [lambda seed=seed: cut_handshake(port, seed) for seed in range(20)]
    jobs += [lambda seed=seed: paramiko_cut_kex(port, seed) for seed in range(10)]
    with ThreadPoolExecutor(max_workers=12) as pool:
        for future in [pool.submit(job) for job in jobs]:
            future.result()


# --- after authentication ------------------------------------------------------------------

def channel_flood(server) -> str:
    """2000 channel-open requests on one connection: max_channels granted, the rest refused,
    and the granted ones still work."""
    transport = hc.authenticated_transport(server.port)
    granted, refused = [], 0
    for _ in range(2000):
        try:
            granted.append(transport.open_session(timeout=10))
        except paramiko.ChannelException:
            refused += 1
    assert len(granted) == MAX_CHANNELS and refused == 2000 - MAX_CHANNELS, (len(granted), refused)
    granted[0].exec_command("echo channel-flood-$((6*7))")
    assert b"channel-flood-42" in hc.read_until(granted[0], b"channel-flood-42")
    session = server.session_for_client(hc.transport_local_port(transport))
    transport.close()
    return session


def request_storm(server) -> str:
    """Thousands of env and pty-req requests, then a shell and 10 000 window-changes."""
    transport = hc.authenticated_transport(server.port)
    session = server.session_for_client(hc.transport_local_port(transport))
    channel = transport.open_session(timeout=10)
    hc.pty_request(channel, "xterm", 80, 24)  # the one that counts; the flood comes after it
    for i in range(3000):
        hc.send_request(channel, "env", "LANG" if i % 2 else f"FLOOD_{i}", "C.UTF-8")
    for i in range(3000):
        hc.pty_request(channel, "xterm", 80 + i % 7, 24 + i % 5)
    channel.invoke_shell()
    for i in range(10_000):
        hc.window_change(channel, 40 + i % 97, 10 + i % 31)
    hc.window_change(channel, 132, 43)
    time.sleep(0.5)  # the last size of a coalesced storm is applied at the end of an interval
    channel.sendall(b"echo storm-$((6*7)); stty size | tr ' ' x\n")
    reader = hc.ChannelReader(channel)
    reader.expect(rb"storm-42")
    assert reader.expect(rb"(\d+)x(\d+)").group(0) == b"43x132"
    channel.sendall(b"exit\n")
    hc.read_until(channel, b"\x00never", timeout=10)
    transport.close()
    return session


def huge_values(server) -> list[str]:
    """Strings up to libssh's packet bound (256 KiB): run as sent, logged bounded and marked."""
    sessions = []
    transport = hc.authenticated_transport(server.port)
    sessions.append(server.session_for_client(hc.transport_local_port(transport)))
    # env + exec of 100 KiB (one argv string must stay under Linux's 128 KiB).
    channel = transport.open_session(timeout=10)
    hc.send_request(channel, "env", "LANG", "C" * 200_000)
    hc.send_request(channel, "env", "X" * 100_000, "y")
    command = "echo big-exec-$((6*7)); : " + "A" * 100_000
    channel.exec_command(command)
    assert b"big-exec-42" in hc.read_until(channel, b"big-exec-42")
    # A huge TERM and absurd sizes: clamped before Docker, init and the recording see them.
    channel = transport.open_session(timeout=10)
    hc.pty_request(channel, "T" * 100_000, 65535, 65535)
    channel.invoke_shell()
    # Computed markers: the terminal's echo of the typed line cannot match them.
    channel.sendall(b"stty size | tr ' ' x; echo term-$((${#TERM} + 1000))-end\n")
    reader = hc.ChannelReader(channel)
    sides = reader.expect(rb"(\d+)x(\d+)")
    assert sides.groups() == (b"%d" % MAX_TERMINAL_SIDE,) * 2, sides.group(0)
    term_length = int(reader.expect(rb"term-(\d+)-end").group(1)) - 1000
    assert 0 < term_length <= 64, term_length
    # 0 and 2^31 (negative as a C int) become 1, 65535 becomes 1000 (events checked below);
    # busybox's stty reports a side of 1 as its default, so the last size is 3x2.
    for cols, rows in [(0, 0), (2**31, 2**31), (2**32 - 1, 1), (65535, 0), (3, 2)]:
        hc.window_change(channel, cols, rows)
        time.sleep(0.15)
    channel.sendall(b"stty size | tr ' ' x\n")
    assert reader.expect(rb"(\d+)x(\d+)").group(0) == b"2x3"
    channel.sendall(b"exit\n")
    # A subsystem name of 100 KiB is refused.
    channel = transport.open_session(timeout=10)
    with pytest.raises(paramiko.SSHException):
        channel.invoke_subsystem("s" * 100_000)
    transport.close()

    # Beyond libssh's packet bound: 1 MiB env and exec. Whatever libssh makes of it (it drops
    # the connection), Hermes goes on and the session is closed and recorded like any other.
    for kind in ("env", "exec"):
        transport = hc.authenticated_transport(server.port)
        sessions.append(server.session_for_client(hc.transport_local_port(transport)))
        channel = transport.open_session(timeout=10)
        try:
            if kind == "env":
                hc.send_request(channel, "env", "LANG", "M" * (1 << 20))
                channel.exec_command("echo after-env")
            else:
                channel.exec_command("echo " + "M" * (1 << 20))
            hc.read_until(channel, b"after-env", timeout=10)
        except (paramiko.SSHException, OSError, EOFError):
            pass
        transport.close()
    return sessions


def disconnect_at_every_stage(server) -> list[str]:
    """Returns the sessions that logged in."""
    port = server.port
    # after the banner exchange, during and after key exchange
    sock = hc.connect(port)
    hc.send_quietly(sock, hc.CLIENT_BANNER)
    sock.recv(256)
    sock.close()
    sock = hc.connect(port)
    hc.send_quietly(sock, hc.CLIENT_BANNER + hc.kexinit_packet())
    sock.recv(4096)
    sock.close()
    transport = paramiko.Transport(hc.connect(port))
    transport.start_client(timeout=30)
    transport.sock.close()
    transport.close()
    # during authentication: the password request is on its way when the socket goes
    transport = paramiko.Transport(hc.connect(port))
    transport.start_client(timeout=30)
    threading.Timer(0.005, lambda: hc.close_quietly(transport.sock)).start()
    try:
        transport.auth_password("root", "toor")
    except (paramiko.SSHException, OSError, EOFError):
        pass
    transport.close()

    logged_in = []

    def authenticated():
        transport = hc.authenticated_transport(port)
        logged_in.append(server.session_for_client(hc.transport_local_port(transport)))
        return transport

    # right after authentication success (the container lease is still being taken)
    transport = authenticated()
    transport.sock.close()
    transport.close()
    # during shell start: the shell request is sent, the socket closed without waiting
    transport = authenticated()
    channel = transport.open_session(timeout=10)
    hc.pty_request(channel, "xterm", 80, 24)
    hc.send_request(channel, "shell")
    transport.sock.close()
    transport.close()
    # mid-output: a flood of output, the client vanishes after reading some of it
    transport = authenticated()
    channel = transport.open_session(timeout=10)
    channel.exec_command("yes hostile-output")
    assert b"hostile-output" in hc.read_until(channel, b"hostile-output\n" * 100)
    transport.sock.close()
    transport.close()
    return logged_in


# --- the barrage ------------------------------------------------------------------------------

def every_connection_closed(server) -> bool:
    events = server.events()
    connected = set(ev.session_ids(events))
    closed = {e["session"] for e in ev.with_id(events, "hermes.session.closed")}
    return connected <= closed


def test_hostile_barrage_leaves_hermes_serving_with_bounded_memory_and_records(server):
    started = time.monotonic()
    warmup = server.exec("echo warm")
    assert warmup.returncode == 0, warmup.stderr
    rss_before = memory.rss_kib(server.process.pid)

    preauth_barrage(server.port)
    flooded = channel_flood(server)
    stormed = request_storm(server)
    huge = huge_values(server)
    staged = disconnect_at_every_stage(server)

    # Hermes is alive and serves an ordinary login.
    assert server.process.poll() is None, "hermes died"
    result = server.exec("echo alive-$((6*7))")
    assert result.returncode == 0 and b"alive-42" in result.stdout, result
    rss_after = memory.rss_kib(server.process.pid)
    bound = memory.growth_bound_kib(server.process.pid, 100 * 1024)
    assert rss_after - rss_before < bound, f"VmRSS grew from {rss_before} to {rss_after} KiB"

    # Every connection ended with hermes.session.closed; every recording was closed; every
    # session that logged in has its sidecar.
    try:
        wait_until(lambda: every_connection_closed(server), 120, "hermes.session.closed for every connection")
    except AssertionError:
        events = server.events()
        open_ones = set(ev.session_ids(events)) - {e["session"] for e in ev.with_id(events, "hermes.session.closed")}
        raise AssertionError(f"no hermes.session.closed for {sorted(open_ones)}: " +
                             json.dumps([e for e in events if e["session"] in open_ones])[:3000])
    events = server.events()
    logged_in = {e["session"] for e in ev.with_id(events, "hermes.login.success")}
    assert {flooded, stormed, *huge, *staged} <= logged_in
    for session in logged_in:
        wait_until(lambda: server.sidecar_path(session).exists(), 30, f"sidecar of {session}")
        if server.cast_path(session).exists():
            server.wait_for_event(session, "hermes.log.closed")
            read_cast(server.cast_path(session))  # a valid asciicast file

    # The storm: bounded events, coalesced resizes, one flood marker.
    storm_events = server.events(stormed)
    assert len(ev.with_id(storm_events, "hermes.client.var")) <= 256
    assert len(ev.with_id(storm_events, "hermes.client.size")) <= 300
    assert len(ev.with_id(storm_events, "hermes.client.request_flood")) == 1
    header, records = read_cast(server.cast_path(stormed))
    resizes = [r for r in records if r[1] == "r"]
    assert len(resizes) <= 100, f"{len(resizes)} resize records for a storm of 10 000"
    assert resizes[-1][2] == "132x43"

    # Huge values: logged bounded, marked truncated, with the original size.
    huge_events = server.events(huge[0])
    command = ev.with_id(huge_events, "hermes.command.input")[0]
    assert command["truncated"] is True and command["size"] == len("echo big-exec-$((6*7)); : ") + 100_000
    assert len(command["input"]) == LOGGED_TEXT_BOUND
    long_vars = [e for e in ev.with_id(huge_events, "hermes.client.var") if e.get("truncated")]
    assert len(long_vars) == 2 and all(len(e["name"]) + len(e["value"]) <= 2 * LOGGED_TEXT_BOUND for e in long_vars)
    sizes = [(e["width"], e["height"]) for e in ev.with_id(events, "hermes.client.size")]
    assert all(1 <= w <= MAX_TERMINAL_SIDE and 1 <= h <= MAX_TERMINAL_SIDE for w, h in sizes)
    huge_sizes = [(e["width"], e["height"]) for e in ev.with_id(huge_events, "hermes.client.size")]
    assert huge_sizes[-3:] == [(1, 1), (1000, 1), (3, 2)], huge_sizes
    header, _ = read_cast(server.cast_path(huge[0]))
    assert len(json.dumps(header)) < 4096

    # No event line carries megabytes.
    longest = max(len(line) for line in server.events_path.read_bytes().split(b"\n"))
    assert longest <= MAX_EVENT_LINE, f"an event line of {longest} bytes"
    assert time.monotonic() - started < 240
