"""Issue 5, item 2: Hermes on the wire is the persona's real sshd (Debian 12, OpenSSH 9.2p1 with
the image's hardened sshd_config). The real sshd runs from a chroot of the Debian target image on
a loopback port, with the very host keys Hermes generated, so that even the fingerprints agree;
nmap and `ssh -vvv` must then see the same server, up to a short list of documented residual
differences."""
import contextlib
import os
import re
import shutil
import socket
import struct
import subprocess
import time
from pathlib import Path

import pytest

from hermes_itest.config import DEBIAN_IMAGE
from hermes_itest.persona_sshd import RealSshd, export_rootfs

VERSION_LINE = b"SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u10\r\n"

# What `ssh -vvv` shows differently, and why (docs/deception.md, "SSH wire identity"). Exact
# lines, so that any other change in either server fails the test.
SSHD_ONLY_LINES = {
    # 9.2p1's second EXT_INFO extension: libssh 0.10 has no hostbound public key auth.
    "debug1: kex_input_ext_info: publickey-hostbound@openssh.com=<0>",
}
# sshd's line -> Hermes's: libssh drops the two signature algorithms it does not know.
REPLACED_LINES = {
    "debug1: kex_input_ext_info: server-sig-algs=<ssh-ed25519,sk-ssh-ed25519@openssh.com,"
    "ecdsa-sha2-nistp256,ecdsa-sha2-nistp384,ecdsa-sha2-nistp521,sk-ecdsa-sha2-nistp256@openssh.com,"
    "webauthn-sk-ecdsa-sha2-nistp256@openssh.com,ssh-dss,ssh-rsa,rsa-sha2-256,rsa-sha2-512>":
    "debug1: kex_input_ext_info: server-sig-algs=<ssh-ed25519,sk-ssh-ed25519@openssh.com,"
    "ecdsa-sha2-nistp256,ecdsa-sha2-nistp384,ecdsa-sha2-nistp521,sk-ecdsa-sha2-nistp256@openssh.com,"
    "ssh-rsa,rsa-sha2-256,rsa-sha2-512>",
}


@pytest.fixture(scope="module")
def persona_rootfs():
    """The Debian target image's filesystem (or, while developing, a debootstrap'ed bookworm
    named by HERMES_TEST_PERSONA_ROOTFS)."""
    configured = os.environ.get("HERMES_TEST_PERSONA_ROOTFS")
    if configured:
        yield Path(configured)
        return
    root = export_rootfs(DEBIAN_IMAGE)
    try:
        yield root
    finally:
        shutil.rmtree(root, ignore_errors=True)


@contextlib.contextmanager
def real_sshd_beside(server, rootfs: Path):
    """The real sshd with the host keys `server` generated."""
    sshd = RealSshd(rootfs, server.workdir / "keys")
    try:
        sshd.start()
        yield sshd
    finally:
        sshd.stop()
        shutil.rmtree(rootfs / "tmp" / f"persona-{sshd.port}", ignore_errors=True)


@pytest.fixture
def side_by_side(hermes_server, persona_rootfs):
    """(hermes server, real sshd) with the same host keys."""
    server = hermes_server()
    with real_sshd_beside(server, persona_rootfs) as sshd:
        yield server, sshd


def nmap_view(port: int) -> list[str]:
    """nmap's service and algorithm report without the lines that carry time or the port."""
    result = subprocess.run(["nmap", "-sV", "-p", str(port), "--script", "ssh2-enum-algos,ssh-hostkey",
                             "127.0.0.1"], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    skipped = ("Starting Nmap", "Nmap scan report", "Host is up", "Nmap done", "Service detection performed")
    return [line.replace(str(port), "PORT") for line in result.stdout.splitlines()
            if line.strip() and not line.startswith(skipped)]


def ssh_vvv_view(port: int) -> list[str]:
    """What OpenSSH's client logs while negotiating and trying auth (BatchMode: no password),
    with the port taken out."""
    result = subprocess.run(["ssh", "-vvv", "-F", "/dev/null", "-o", "BatchMode=yes",
                             "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
                             "-o", "ConnectTimeout=30", "-p", str(port), "probe@127.0.0.1", "true"],
                            capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)
    assert result.returncode == 255, result.stderr  # refused: no method BatchMode can use
    return [re.sub(rf"\b{port}\b", "PORT", line) for line in result.stderr.splitlines()]


def test_nmap_sees_the_same_server(side_by_side):
    server, sshd = side_by_side
    hermes_view, real_view = nmap_view(server.port), nmap_view(sshd.port)
    assert hermes_view == real_view
    report = "\n".join(hermes_view)
    assert "OpenSSH 9.2p1 Debian 2+deb12u10 (protocol 2.0)" in report
    assert "kex-strict-s-v00@openssh.com" in report
    assert "encryption_algorithms: (6)" in report  # libssh's trailing-comma entry is gone


def test_openssh_client_negotiates_identically(side_by_side):
    server, sshd = side_by_side
    hermes_lines, real_lines = ssh_vvv_view(server.port), ssh_vvv_view(sshd.port)
    assert SSHD_ONLY_LINES | set(REPLACED_LINES) <= set(real_lines), \
        "the real sshd no longer sends what the allow-list expects: update it"
    assert hermes_lines == [REPLACED_LINES.get(line, line) for line in real_lines
                            if line not in SSHD_ONLY_LINES]
    assert "debug1: Remote protocol version 2.0, remote software version OpenSSH_9.2p1 Debian-2+deb12u10" \
        in hermes_lines
    assert any(line.startswith("debug1: kex: algorithm: curve25519-sha256") for line in hermes_lines)
    assert "debug1: Authentications that can continue: publickey,password" in hermes_lines


def first_bytes_after_version(port: int, send_version: bool) -> bytes:
    """The server's version line, then whatever it sends within 1.5 s (with or without our own
    version line having been sent)."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        banner = b""
        while not banner.endswith(b"\n"):
            chunk = sock.recv(1)
            assert chunk, "closed before its version line"
            banner += chunk
        assert banner == VERSION_LINE
        if send_version:
            sock.sendall(b"SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u10\r\n")
        sock.settimeout(1.5)
        try:
            return sock.recv(6)
        except socket.timeout:
            return b""


def test_kexinit_only_follows_the_client_version_line(side_by_side):
    server, sshd = side_by_side
    for port in (server.port, sshd.port):
        assert first_bytes_after_version(port, send_version=False) == b""
        follows = first_bytes_after_version(port, send_version=True)
        assert len(follows) == 6 and follows[5] == 20, follows  # SSH_MSG_KEXINIT


def kexinit_without_cookie(port: int) -> tuple[int, int, bytes]:
    """(packet length, padding length, payload after the 16 random cookie bytes) of the server's
    KEXINIT."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        received = b""
        while VERSION_LINE not in received:
            chunk = sock.recv(1)
            assert chunk, "closed before its version line"
            received += chunk
        sock.sendall(b"SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u10\r\n")
        packet = b""
        while len(packet) < 4 or len(packet) < 4 + struct.unpack(">I", packet[:4])[0]:
            chunk = sock.recv(4096)
            assert chunk, "closed before its KEXINIT"
            packet += chunk
    length, padding = struct.unpack(">I", packet[:4])[0], packet[4]
    payload = packet[5:4 + length - padding]
    assert payload[0] == 20  # SSH_MSG_KEXINIT
    return length, padding, payload[17:]


def test_kexinit_is_the_same_bytes(side_by_side):
    # Name lists, first_kex_packet_follows, reserved word, and even the packet and padding
    # lengths: only the random cookie and padding bytes differ.
    server, sshd = side_by_side
    assert kexinit_without_cookie(server.port) == kexinit_without_cookie(sshd.port)


def reply_to_garbage(port: int, pieces: tuple[bytes, ...]) -> bytes:
    """All a server sends to a client whose first line (sent in pieces) is not SSH, until it
    closes."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        for piece in pieces:
            sock.sendall(piece)
            time.sleep(0.3)
        received = b""
        while True:
            chunk = sock.recv(4096)
            if not chunk:
                return received
            received += chunk


@pytest.mark.parametrize("pieces", [(b"GET / HTTP/1.1\r\n",), (b"GET / HT", b"TP/1.1\r\n"), (b"\n",)],
                         ids=["http-line", "line-in-two-pieces", "empty-line"])
def test_a_line_that_is_not_ssh_is_answered_as_sshd_does(side_by_side, pieces):
    server, sshd = side_by_side
    expected = VERSION_LINE + b"Invalid SSH identification string.\r\n"
    assert reply_to_garbage(sshd.port, pieces) == expected
    assert reply_to_garbage(server.port, pieces) == expected


def wrong_passwords_until_disconnect(port: int, askpass: Path) -> tuple[list[str], float]:
    """OpenSSH's client giving a wrong password at every prompt (through SSH_ASKPASS, forced):
    its messages, and how long the whole took."""
    started = time.monotonic()
    env = dict(os.environ, SSH_ASKPASS=str(askpass), SSH_ASKPASS_REQUIRE="force", DISPLAY="none")
    result = subprocess.run(["ssh", "-F", "/dev/null",
                             "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
                             "-o", "PreferredAuthentications=password", "-o", "PubkeyAuthentication=no",
                             "-o", "NumberOfPasswordPrompts=10", "-p", str(port), "root@127.0.0.1", "true"],
                            capture_output=True, text=True, timeout=180, stdin=subprocess.DEVNULL, env=env)
    elapsed = time.monotonic() - started
    return [re.sub(rf"\b{port}\b", "PORT", line) for line in result.stderr.splitlines()], elapsed


def test_wrong_passwords_end_as_with_sshd(hermes_server, persona_rootfs, tmp_path):
    # The persona's failure delay (not the test suite's 0): six wrong passwords, each answered
    # after PAM's delay, the sixth with the MaxAuthTries disconnect.
    server = hermes_server(accept_all_after_failures=0,
                           overrides={"authentication": {"failure_delay": "persona"}})
    askpass = tmp_path / "askpass"
    askpass.write_text("#!/bin/sh\necho wrong-password\n")
    askpass.chmod(0o755)
    with real_sshd_beside(server, persona_rootfs) as sshd:
        real_lines, real_seconds = wrong_passwords_until_disconnect(sshd.port, askpass)
    hermes_lines, hermes_seconds = wrong_passwords_until_disconnect(server.port, askpass)
    # sshd's disconnect carries reason 2 (protocol error); libssh's public API always sends 11
    # (by application): the one residual difference of this exchange.
    assert "Received disconnect from 127.0.0.1 port PORT:2: Too many authentication failures" in real_lines
    assert hermes_lines == [line.replace("PORT:2:", "PORT:11:") for line in real_lines]
    # Six replies of 1 to 6 s each (generous bounds: a busy machine only adds time).
    assert real_seconds >= 6, real_seconds
    assert hermes_seconds >= 6, hermes_seconds
    attempts = [e for e in server.events() if e["eventid"] == "hermes.login.failed"]
    assert len(attempts) == 6
