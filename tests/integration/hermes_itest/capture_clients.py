"""Clients for the capture tests (issue 4 items 1, 2, 3, 7): OpenSSH with keys and verbose
negotiation output, and a paramiko transport whose client port identifies its session."""
import hashlib
import os
import re
import socket
import subprocess
from pathlib import Path
from typing import Optional, Sequence

import paramiko

# What `ssh -vvv` prints of its own KEXINIT, in wire order (the first block is the client's).
_PROPOSAL_LABELS = ["KEX algorithms", "host key algorithms", "ciphers ctos", "ciphers stoc",
                    "MACs ctos", "MACs stoc", "compression ctos", "compression stoc",
                    "languages ctos", "languages stoc"]


def openssh_argv(port: int, user: str = "root", extra: Sequence[str] = (),
                 command: Optional[str] = None, host: str = "127.0.0.1") -> list[str]:
    """OpenSSH without any config; the caller picks authentication and verbosity in `extra`."""
    argv = ["ssh", "-F", "/dev/null", "-p", str(port),
            "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
            "-o", "ConnectTimeout=30", *extra, f"{user}@{host}"]
    if command is not None:
        argv.append(command)
    return argv


def client_kexinit_from_verbose(stderr: str) -> dict[str, str]:
    """The client's own proposal as `ssh -vvv` logged it: label -> comma-separated list."""
    start = stderr.index("local client KEXINIT proposal")
    found = {}
    for line in stderr[start:].splitlines()[1:]:
        match = re.match(r"debug2: ([\w ]+): (.*)$", line)
        if not match or match.group(1) not in _PROPOSAL_LABELS:
            if found:
                break
            continue
        found.setdefault(match.group(1), match.group(2))
        if len(found) == len(_PROPOSAL_LABELS):
            break
    return found


def md5_hex(text: str) -> str:
    return hashlib.md5(text.encode()).hexdigest()


def new_key(directory: Path, kind: str, name: str) -> tuple[Path, str, str]:
    """A fresh key pair: (private key path, authorized_keys line "type base64", fingerprint as
    `ssh-keygen -l` prints it)."""
    path = directory / name
    subprocess.run(["ssh-keygen", "-q", "-t", kind, "-N", "", "-f", str(path)], check=True)
    public = " ".join(Path(f"{path}.pub").read_text().split()[:2])
    listing = subprocess.run(["ssh-keygen", "-l", "-E", "sha256", "-f", f"{path}.pub"],
                             check=True, capture_output=True, text=True).stdout
    return path, public, listing.split()[1]


def key_argv(port: int, key: Path, command: str = "echo key-login-ok",
             user: str = "root") -> list[str]:
    """OpenSSH offering exactly one key, then (with sshpass) a password."""
    return openssh_argv(port, user, [
        "-i", str(key), "-o", "IdentitiesOnly=yes", "-o", "IdentityAgent=none",
        "-o", "PubkeyAuthentication=yes", "-o", "PreferredAuthentications=publickey,password",
        "-o", "NumberOfPasswordPrompts=1", "-o", "LogLevel=ERROR"], command)


class PlainTransport:
    """A paramiko transport on its own socket; `client_port` identifies its session."""

    def __init__(self, port: int, start: bool = True, host: str = "127.0.0.1"):
        self.sock = socket.create_connection((host, port), timeout=30)
        self.client_port = self.sock.getsockname()[1]
        self.transport = paramiko.Transport(self.sock)
        if start:
            self.transport.start_client(timeout=30)

    def close(self):
        self.transport.close()
        self.sock.close()


def hermes_memfds(pid: int) -> list[str]:
    """The key-exchange trace files Hermes holds open right now (memfd names in /proc)."""
    found = []
    fd_dir = Path(f"/proc/{pid}/fd")
    for entry in fd_dir.iterdir():
        try:
            target = os.readlink(entry)
        except OSError:
            continue  # closed meanwhile
        if target.startswith("/memfd:hermes-kexinit"):
            found.append(str(entry))
    return found
