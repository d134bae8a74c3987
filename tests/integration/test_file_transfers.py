"""SFTP and SCP against the Debian target image, with real clients: OpenSSH `sftp -b`, `scp`
(SFTP underneath, as 9.x does by default) and `scp -O` (legacy protocol), PuTTY's `pscp -sftp`
and `pscp -scp`. Every file moved is reported as hermes.session.file_upload / file_download with
the SHA-256 of the original, and uploads land in the container with the same content."""
import hashlib
import os
import subprocess
from pathlib import Path

import pytest

from hermes_itest import docker_cli
from hermes_itest import events as ev
from hermes_itest.config import DEBIAN_IMAGE
from hermes_itest.ssh_client import ssh_argv

PASSWORD = "toor"


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@pytest.fixture
def payloads(tmp_path) -> dict[str, bytes]:
    """~1 MiB of random bytes, a few bytes, and nothing, written beside the test."""
    files = {"big.bin": os.urandom(1024 * 1024 + 123), "small.txt": b"hi there\n", "empty": b""}
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    return files


@pytest.fixture
def debian_server(hermes_server):
    return hermes_server(overrides={"container_pool": {"image": DEBIAN_IMAGE}})


def client_options(server) -> list[str]:
    """The OpenSSH options of the harness's ssh (no config, password only, no host-key memory),
    without the port: sftp and scp spell it -P."""
    argv = ssh_argv(server.port)  # ssh -F /dev/null -p PORT -o ... root@127.0.0.1
    port_at = argv.index("-p")
    return argv[1:port_at] + argv[port_at + 2:-1]


def run_session(server, argv: list[str], timeout: float = 180) -> list[str]:
    """Runs one client to completion; returns the sessions it opened (some clients open one per
    remote file) once they have all closed."""
    known = server.session_ids()
    result = subprocess.run(argv, capture_output=True, timeout=timeout, stdin=subprocess.DEVNULL)
    assert result.returncode == 0, (argv, result.stdout[-2000:], result.stderr[-2000:])
    sessions = [s for s in server.session_ids() if s not in known]
    assert sessions, "the client opened no session"
    for session in sessions:
        server.wait_for_event(session, "hermes.session.closed", timeout=60)
    return sessions


def transfers(server, sessions: list[str], kind: str) -> dict[str, dict]:
    """file_upload or file_download events of the sessions, by the file's base name (each once)."""
    found = [e for session in sessions
             for e in ev.with_id(server.events(session), f"hermes.session.file_{kind}")]
    by_name = {Path(e["filename"]).name: e for e in found}
    assert len(by_name) == len(found), f"a file reported twice: {found}"
    return by_name


def container_file(container: str, path: str, tmp_path: Path) -> bytes:
    """A file of the (stopped, kept) session container, copied out with docker cp."""
    out = tmp_path / "from-container"
    out.mkdir(exist_ok=True)
    target = out / Path(path).name
    docker_cli.docker("cp", f"{container}:{path}", str(target))
    return target.read_bytes()


def assert_uploaded(server, sessions, payloads, tmp_path, via: str, directory: str = "/root") -> None:
    uploads = transfers(server, sessions, "upload")
    assert set(uploads) == set(payloads), uploads
    for name, data in payloads.items():
        event = uploads[name]
        container = server.container_of(event["session"])
        assert (event["size"], event["shasum"], event["via"]) == (len(data), sha(data), via), event
        assert "note" not in event, event
        assert sha(container_file(container, f"{directory}/{name}", tmp_path)) == sha(data)


# Files of the Debian image to download (each session has its own container, so a download
# cannot fetch what an earlier scp run uploaded): ~1.2 MiB, a few bytes, and nothing.
DOWNLOADS = ["/usr/bin/bash", "/etc/debian_version", "/etc/environment"]


def assert_downloaded(server, sessions, remote_paths, local_dir: Path, via: str, tmp_path: Path) -> None:
    downloads = transfers(server, sessions, "download")
    assert set(downloads) == {Path(p).name for p in remote_paths}, downloads
    for path in remote_paths:
        event = downloads[Path(path).name]
        original = container_file(server.container_of(event["session"]), path, tmp_path)
        assert (local_dir / Path(path).name).read_bytes() == original  # the client got the real file
        assert (event["size"], event["shasum"], event["via"]) == (len(original), sha(original), via), event
        assert "note" not in event, event
    sizes = sorted(downloads[Path(p).name]["size"] for p in remote_paths)
    assert sizes[0] == 0 and sizes[1] < 100 and sizes[2] > 1024 * 1024, sizes


def put_all(server, payloads, tmp_path, command: list[str], via: str) -> str:
    sessions = run_session(server, command)
    assert_uploaded(server, sessions, payloads, tmp_path, via)
    return sessions


def test_openssh_sftp_batch_put_and_get(debian_server, payloads, tmp_path):
    server = debian_server
    down = tmp_path / "down"
    down.mkdir()
    batch = tmp_path / "batch"
    lines = [f"put {tmp_path / name} /root/{name}" for name in payloads]
    lines += [f"get {path} {down / Path(path).name}" for path in DOWNLOADS]
    batch.write_text("\n".join(lines) + "\n")
    # sftp -b turns BatchMode on, which forbids passwords; ssh keeps the first value it gets,
    # so BatchMode=no has to come before -b.
    argv = ["sshpass", "-p", PASSWORD, "sftp", *client_options(server), "-P", str(server.port),
            "-o", "BatchMode=no", "-b", str(batch), "root@127.0.0.1"]
    sessions = run_session(server, argv)
    assert_uploaded(server, sessions, payloads, tmp_path, "sftp")
    assert_downloaded(server, sessions, DOWNLOADS, down, "sftp", tmp_path)
    subsystem = ev.with_id(server.events(sessions[0]), "hermes.client.subsystem")
    assert [e["name"] for e in subsystem] == ["sftp"]


def scp_argv(server, *args: str, legacy: bool) -> list[str]:
    return ["sshpass", "-p", PASSWORD, "scp", *(["-O"] if legacy else []), *client_options(server),
            "-P", str(server.port), *args]


@pytest.mark.parametrize("legacy", [False, True], ids=["scp-sftp", "scp-legacy"])
def test_openssh_scp_upload_and_download(debian_server, payloads, tmp_path, legacy):
    server = debian_server
    via = "scp" if legacy else "sftp"
    sources = [str(tmp_path / name) for name in payloads]
    put_all(server, payloads, tmp_path, scp_argv(server, *sources, "root@127.0.0.1:/root/", legacy=legacy), via)

    down = tmp_path / "down"
    down.mkdir()
    # One run per file: scp opens a connection per remote source, and sshpass answers only one.
    sessions = []
    for path in DOWNLOADS:
        sessions += run_session(server, scp_argv(server, f"root@127.0.0.1:{path}", str(down), legacy=legacy))
    assert_downloaded(server, sessions, DOWNLOADS, down, via, tmp_path)
    if legacy:
        targets = {e["target"] for e in transfers(server, sessions, "download").values()}
        assert targets == set(DOWNLOADS)


def host_key_fingerprints(port: int) -> list[str]:
    scan = subprocess.run(["ssh-keyscan", "-p", str(port), "127.0.0.1"], capture_output=True, timeout=60)
    keys = subprocess.run(["ssh-keygen", "-lf", "-"], input=scan.stdout, capture_output=True, timeout=30)
    prints = [line.split()[1] for line in keys.stdout.decode().splitlines() if "SHA256:" in line]
    assert prints, scan.stderr
    return prints


@pytest.mark.parametrize("mode", ["sftp", "scp"])
def test_putty_pscp_upload_and_download(debian_server, payloads, tmp_path, mode):
    server = debian_server
    base = ["pscp", f"-{mode}", "-batch", "-pw", PASSWORD, "-P", str(server.port)]
    for fingerprint in host_key_fingerprints(server.port):
        base += ["-hostkey", fingerprint]
    sources = [str(tmp_path / name) for name in payloads]
    put_all(server, payloads, tmp_path, [*base, *sources, "root@127.0.0.1:/root/"], mode)

    down = tmp_path / "down"
    down.mkdir()
    sessions = []
    for path in DOWNLOADS:
        sessions += run_session(server, [*base, f"root@127.0.0.1:{path}", str(down / Path(path).name)])
    assert_downloaded(server, sessions, DOWNLOADS, down, mode, tmp_path)


def test_sftp_without_sftp_server_closes_the_channel(hermes_server, tmp_path):
    """The minimal image has no sftp-server: the client fails cleanly, Hermes stays up."""
    server = hermes_server()
    batch = tmp_path / "batch"
    batch.write_text("ls\n")
    argv = ["sshpass", "-p", PASSWORD, "sftp", *client_options(server), "-P", str(server.port),
            "-o", "BatchMode=no", "-b", str(batch), "root@127.0.0.1"]
    result = subprocess.run(argv, capture_output=True, timeout=120, stdin=subprocess.DEVNULL)
    assert result.returncode != 0
    assert server.process.poll() is None
    assert server.exec("echo still-here").stdout == b"still-here\n"
