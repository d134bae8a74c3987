"""How the runner starts the processes it owns, so none outlives it."""
import ctypes
import signal

_PR_SET_PDEATHSIG = 1


def die_with_runner() -> None:
    """preexec_fn: the child gets SIGTERM when the runner dies, even by SIGKILL, where the
    runner's own cleanup cannot run (a Hermes or sshd left behind would skew the next bench)."""
    ctypes.CDLL("libc.so.6", use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
