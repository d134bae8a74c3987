"""The floor under Hermes's brute-force cost: hermes-libssh-floor (bench/libssh_floor.cpp), libssh
alone doing accept, key exchange and one denied password, on one thread with blocking calls. It
gets host keys of the same three types Hermes has (the loadgen asks both for ssh-ed25519)."""
import os
import signal
import subprocess
import tempfile
import time
from pathlib import Path

from hermes_itest.server import free_tcp_port, is_listening

from .children import die_with_runner

KEY_TYPES = (("rsa", "3072"), ("ecdsa", "256"), ("ed25519", None))


class LibsshFloor:
    def __init__(self, binary: Path):
        self.binary = binary
        self.port = free_tcp_port()
        self._keys = tempfile.TemporaryDirectory(prefix="hermes-bench-floor-")
        self.process = None

    @property
    def pid(self) -> int:
        return self.process.pid

    def __enter__(self) -> "LibsshFloor":
        keys = []
        for key_type, bits in KEY_TYPES:
            path = Path(self._keys.name) / f"ssh_host_{key_type}_key"
            subprocess.run(["ssh-keygen", "-q", "-N", "", "-t", key_type, *(["-b", bits] if bits else []),
                            "-f", str(path)], check=True, capture_output=True, timeout=60)
            keys.append(str(path))
        self.process = subprocess.Popen([str(self.binary), str(self.port), *keys],
                                        stdin=subprocess.DEVNULL, preexec_fn=die_with_runner)
        deadline = time.monotonic() + 10
        while not is_listening(self.port):
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"hermes-libssh-floor did not listen on {self.port}")
            time.sleep(0.05)
        return self

    def __exit__(self, *_exc) -> None:
        if self.process and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=10)
        self._keys.cleanup()
