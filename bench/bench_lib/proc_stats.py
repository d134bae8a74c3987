"""What the kernel accounts for one process: CPU time and resident memory, read from /proc."""
import os
import time

from hermes_itest.memory import rss_kib  # VmRSS in KiB: the harness reads it the same way

_CLOCK_TICKS = os.sysconf("SC_CLK_TCK")

__all__ = ["cpu_seconds", "rss_kib", "CpuMeter", "peak_rss_kib"]


def cpu_seconds(pid: int) -> float:
    """utime + stime of every thread of the process so far (not its children)."""
    with open(f"/proc/{pid}/stat") as stat:
        text = stat.read()
    # The command name (field 2) may contain spaces and parentheses: split after its last ')'.
    # What follows starts at field 3 (state); utime and stime are fields 14 and 15.
    after_name = text.rsplit(")", 1)[1].split()
    utime, stime = int(after_name[11]), int(after_name[12])
    return (utime + stime) / _CLOCK_TICKS


class CpuMeter:
    """CPU seconds and wall seconds a process spent between start() and stop()."""

    def __init__(self, pid: int):
        self.pid = pid
        self._cpu0 = self._wall0 = 0.0

    def start(self) -> "CpuMeter":
        self._cpu0 = cpu_seconds(self.pid)
        self._wall0 = time.monotonic()
        return self

    def stop(self) -> tuple[float, float]:
        return cpu_seconds(self.pid) - self._cpu0, time.monotonic() - self._wall0


def peak_rss_kib(pid: int, samples: int, interval_s: float) -> int:
    """The largest of a few RSS samples: memory settles (allocator, late handshakes) for a
    moment after the load is in place, and one sample could catch it low."""
    peak = 0
    for index in range(samples):
        if index:
            time.sleep(interval_s)
        peak = max(peak, rss_kib(pid))
    return peak
