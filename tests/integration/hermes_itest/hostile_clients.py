"""Clients that behave the way scanners and attackers do: raw sockets that send garbage or stop
mid-handshake, and paramiko transports that send requests no ordinary client would (floods,
huge strings, absurd sizes). Building blocks for test_hostile_protocol.py."""
import os
import re
import socket
import struct
import time
from typing import Optional

import paramiko
from paramiko.common import cMSG_CHANNEL_REQUEST

CLIENT_BANNER = b"SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n"


def connect(port: int, timeout: float = 30) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    sock.settimeout(timeout)
    return sock


def local_port(sock: socket.socket) -> int:
    return sock.getsockname()[1]


def send_quietly(sock: socket.socket, data: bytes) -> bool:
    """Sends what the server still takes; False once it has closed or reset the connection."""
    try:
        sock.sendall(data)
        return True
    except OSError:
        return False


def wait_closed_by_server(sock: socket.socket, timeout: float) -> tuple[bool, bytes]:
    """Reads (and keeps) what the server sends until it closes the connection or `timeout`
    passes. Returns (closed, received)."""
    received = b""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        sock.settimeout(max(0.1, deadline - time.monotonic()))
        try:
            chunk = sock.recv(65536)
        except socket.timeout:
            break
        except OSError:  # reset: closed as well
            return True, received
        if not chunk:
            return True, received
        received += chunk
    return False, received


def name_list(names: list[str]) -> bytes:
    data = ",".join(names).encode()
    return struct.pack(">I", len(data)) + data


def kexinit_packet() -> bytes:
    """An unencrypted binary packet carrying a plausible client KEXINIT (RFC 4253 7.1)."""
    payload = bytes([20]) + os.urandom(16)
    lists = [["curve25519-sha256"], ["ssh-ed25519", "rsa-sha2-512"], ["aes128-ctr"], ["aes128-ctr"],
             ["hmac-sha2-256"], ["hmac-sha2-256"], ["none"], ["none"], [], []]
    for names in lists:
        payload += name_list(names)
    payload += b"\x00" + struct.pack(">I", 0)
    padding = 8 - (len(payload) + 5) % 8
    padding += 8 if padding < 4 else 0
    return struct.pack(">IB", len(payload) + padding + 1, padding) + payload + os.urandom(padding)


def authenticated_transport(port: int, user: str = "root", password: str = "toor",
                            timeout: float = 30) -> paramiko.Transport:
    transport = paramiko.Transport(connect(port, timeout))
    transport.banner_timeout = timeout
    transport.start_client(timeout=timeout)
    transport.auth_password(user, password)
    assert transport.is_authenticated()
    return transport


def transport_local_port(transport: paramiko.Transport) -> int:
    return transport.sock.getsockname()[1]


def send_request(channel: paramiko.Channel, kind: str, *fields, want_reply: bool = False) -> None:
    """A channel request built by hand: str fields go as SSH strings (bytes too), ints as uint32.
    Nothing waits for a reply, so thousands can be sent back to back."""
    m = paramiko.Message()
    m.add_byte(cMSG_CHANNEL_REQUEST)
    m.add_int(channel.remote_chanid)
    m.add_string(kind)
    m.add_boolean(want_reply)
    for field in fields:
        if isinstance(field, int):
            m.add_int(field & 0xFFFFFFFF)
        else:
            m.add_string(field)
    channel.transport._send_user_message(m)


def pty_request(channel: paramiko.Channel, term: str | bytes, cols: int, rows: int,
                want_reply: bool = False) -> None:
    send_request(channel, "pty-req", term, cols, rows, 0, 0, b"", want_reply=want_reply)


def window_change(channel: paramiko.Channel, cols: int, rows: int) -> None:
    send_request(channel, "window-change", cols, rows, 0, 0)


def read_until(channel: paramiko.Channel, marker: bytes, timeout: float = 30) -> bytes:
    """Reads channel output until `marker` appears (or the channel ends, or time is up)."""
    data = b""
    deadline = time.monotonic() + timeout
    channel.settimeout(1.0)
    while marker not in data and time.monotonic() < deadline:
        try:
            chunk = channel.recv(65536)
        except socket.timeout:
            continue
        if not chunk:
            break
        data += chunk
    return data


class ChannelReader:
    """Output of one channel read on demand; expect() consumes it up to the end of a match, so
    consecutive expectations see consecutive output."""

    def __init__(self, channel: paramiko.Channel):
        self.channel = channel
        self.data = b""

    def expect(self, pattern: bytes, timeout: float = 30) -> re.Match:
        deadline = time.monotonic() + timeout
        self.channel.settimeout(1.0)
        while True:
            found = re.search(pattern, self.data)
            if found:
                self.data = self.data[found.end():]
                return found
            if time.monotonic() >= deadline:
                break
            try:
                chunk = self.channel.recv(65536)
            except socket.timeout:
                continue
            if not chunk:
                break
            self.data += chunk
        raise AssertionError(f"no {pattern!r} in the channel's output: {self.data[-300:]!r}")


def close_quietly(thing: Optional[object]) -> None:
    try:
        if thing is not None:
            thing.close()
    except Exception:  # the server may have closed it first: that is what is being tested
        pass
