"""The persona's real sshd, for side-by-side comparisons: Debian 12's own /usr/sbin/sshd run from
a chroot of the Debian target image's filesystem (docker export), with the image's sshd_config
plus the lines a test needs (loopback port, host keys). Everything lives in a temp directory that
is removed afterwards; the sshd is stopped by its pid."""
import os
import shutil
import signal
import stat
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Optional

from . import docker_cli
from .server import free_tcp_port, is_listening

REPO_ROOT = Path(__file__).resolve().parents[3]
PERSONA_SSHD_CONFIG = REPO_ROOT / "images" / "debian" / "overlay" / "etc" / "ssh" / "sshd_config"
HOST_KEY_NAMES = ("ssh_host_rsa_key", "ssh_host_ecdsa_key", "ssh_host_ed25519_key")


def export_rootfs(image: str) -> Path:
    """The image's filesystem in a new temp directory (the caller removes it)."""
    if not docker_cli.image_exists(image):
        raise AssertionError(f"image {image} is missing: run `build/hermes image build --profile "
                             f"debian` (or set HERMES_TEST_DEBIAN_IMAGE)")
    root = Path(tempfile.mkdtemp(prefix="hermes-persona-rootfs-"))
    container = docker_cli.docker("create", image, "/bin/true").stdout.strip()
    try:
        with subprocess.Popen(["docker", "export", container], stdout=subprocess.PIPE,
                              env=dict(os.environ, DOCKER_HOST=f"unix://{docker_cli.docker_socket()}")) as export:
            untar = subprocess.run(["tar", "-x", "-C", str(root)], stdin=export.stdout,
                                   capture_output=True, timeout=300)
            export.wait(timeout=60)
        assert untar.returncode == 0 and export.returncode == 0, \
            f"docker export {image} | tar -x failed: {untar.stderr.decode(errors='replace')}"
    except BaseException:
        shutil.rmtree(root, ignore_errors=True)
        raise
    finally:
        docker_cli.docker("rm", "-f", container, check=False)
    return root


class RealSshd:
    """sshd -D -e in a chroot of `rootfs`, listening on 127.0.0.1:<free port> with the persona's
    sshd_config and the host keys copied from `host_key_dir`."""

    def __init__(self, rootfs: Path, host_key_dir: Path):
        self.rootfs = rootfs
        self.port = free_tcp_port()
        self.process: Optional[subprocess.Popen] = None
        self.log_path = rootfs / "tmp" / f"sshd-{self.port}.log"
        self._prepare(host_key_dir)

    def _prepare(self, host_key_dir: Path) -> None:
        work = self.rootfs / "tmp" / f"persona-{self.port}"
        work.mkdir(parents=True)
        for name in HOST_KEY_NAMES:
            target = work / name
            shutil.copyfile(host_key_dir / name, target)
            target.chmod(0o600)
        extra = [f"Port {self.port}", "ListenAddress 127.0.0.1", "PidFile none",
                 *(f"HostKey /tmp/{work.name}/{name}" for name in HOST_KEY_NAMES)]
        # sshd takes the first value of a keyword: the test's lines go before the persona's file.
        (work / "sshd_config").write_text("\n".join(extra) + "\n" + PERSONA_SSHD_CONFIG.read_text())
        self.config_in_chroot = f"/tmp/{work.name}/sshd_config"
        (self.rootfs / "run" / "sshd").mkdir(parents=True, exist_ok=True)  # privilege separation
        null = self.rootfs / "dev" / "null"
        if not null.exists():
            null.parent.mkdir(exist_ok=True)
            os.mknod(null, stat.S_IFCHR | 0o666, os.makedev(1, 3))

    def start(self, timeout: float = 30) -> None:
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                ["chroot", str(self.rootfs), "/usr/sbin/sshd", "-D", "-e", "-f", self.config_in_chroot],
                stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while not is_listening(self.port):
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"real sshd did not listen on {self.port}: {self.log()}")
            time.sleep(0.1)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.kill(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)

    def log(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-4000:]
        except OSError:
            return "(no log)"
