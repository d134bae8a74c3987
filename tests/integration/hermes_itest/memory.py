"""How much memory a running hermes holds, and how much growth a test may allow it."""

# An AddressSanitizer build keeps up to 256 MiB of freed memory in quarantine (to catch
# use-after-free) plus shadow memory for all of it, so its RSS says little about Hermes's own
# footprint. Its growth bound is widened by this much; an unbounded leak still exceeds it.
ASAN_ALLOWANCE_KIB = 512 * 1024


def rss_kib(pid: int) -> int:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise AssertionError(f"no VmRSS for pid {pid}")


def runs_under_asan(pid: int) -> bool:
    """GCC links the AddressSanitizer runtime as libasan.so: it shows in the process's maps."""
    with open(f"/proc/{pid}/maps") as maps:
        return any("libasan.so" in line for line in maps)


def growth_bound_kib(pid: int, bound_kib: int) -> int:
    return bound_kib + (ASAN_ALLOWANCE_KIB if runs_under_asan(pid) else 0)
