"""What every bench needs: the binaries, the numbers to run with (full or --quick), a temp
workspace, and the run-wide resources that are made once and cleaned up at the very end (the
reference container, the Debian image's filesystem for sshd)."""
import os
import shutil
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from hermes_itest.persona_sshd import export_rootfs

from .hermes_under_test import HermesUnderTest
from .loadgen import Loadgen
from .reference_container import ReferenceContainer

DEBIAN_IMAGE = "hermes-target-debian:latest"


@dataclass(frozen=True)
class Scale:
    bruteforce_connections: int
    sshd_bruteforce_connections: int
    idle_connections: int
    logins: int
    throughput_mib: int
    sessions: int
    sessions_type_seconds: int
    burst_rate: int
    burst_seconds: int
    # Not scaled: Hermes is pushed by 16 at once; sshd holds each wrong password for PAM's
    # delay (~2-4 s), so it needs many more in flight to be busy at all.
    bruteforce_concurrency: int = 16
    sshd_bruteforce_concurrency: int = 128
    idle_concurrency: int = 64
    login_interval_ms: int = 500
    sessions_open_concurrency: int = 8
    sessions_type_interval_ms: int = 1000


FULL = Scale(bruteforce_connections=2000, sshd_bruteforce_connections=400, idle_connections=1000,
             logins=200, throughput_mib=256, sessions=200, sessions_type_seconds=30,
             burst_rate=10, burst_seconds=60)
QUICK = Scale(bruteforce_connections=300, sshd_bruteforce_connections=100, idle_connections=200,
              logins=30, throughput_mib=32, sessions=20, sessions_type_seconds=10,
              burst_rate=3, burst_seconds=10)


@dataclass
class BenchContext:
    hermes_binary: Path
    loadgen: Loadgen
    scale: Scale
    workspace: Path
    run_wide: ExitStack
    _hermes_count: int = 0
    _reference: Optional[ReferenceContainer] = field(default=None, repr=False)
    _rootfs: Optional[Path] = field(default=None, repr=False)

    def hermes(self, bench: str, pool_size: int,
               overrides: Optional[dict] = None) -> HermesUnderTest:
        """A fresh Hermes for one bench (use it with `with`), in a directory of its own."""
        self._hermes_count += 1
        workdir = self.workspace / f"hermes-{self._hermes_count}-{bench}"
        return HermesUnderTest(self.hermes_binary, workdir, pool_size, overrides)

    def reference_container(self) -> str:
        """Id of the started reference container (started on first use, removed at the end)."""
        if self._reference is None:
            self._reference = self.run_wide.enter_context(ReferenceContainer())
        return self._reference.id

    def debian_rootfs(self) -> Path:
        """The Debian target image's filesystem (exported on first use, removed at the end)."""
        if self._rootfs is None:
            rootfs = export_rootfs(DEBIAN_IMAGE)
            self.run_wide.callback(shutil.rmtree, rootfs, ignore_errors=True)
            self._rootfs = rootfs
        return self._rootfs

    def libssh_floor_binary(self) -> Path:
        """bench/libssh_floor.cpp, built beside the loadgen."""
        return self.hermes_binary.parent / "bench" / "hermes-libssh-floor"

    @staticmethod
    def cores() -> int:
        return os.cpu_count() or 1
