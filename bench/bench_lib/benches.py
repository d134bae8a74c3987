"""The six benches. Each starts what it measures, runs hermes-loadgen against it and against its
reference in the same run, and returns {key: number}. docs/performance.md explains every key."""
import sys
import time
import traceback
from typing import Callable

from .context import BenchContext
from .libssh_floor import LibsshFloor
from .hermes_under_test import LOGIN_PASSWORD, LOGIN_USER, WRONG_PASSWORD, shipped_pool_size
from .proc_stats import CpuMeter, peak_rss_kib, rss_kib
from .sshd_under_tini import SshdUnderTini

# Hermes closes a connection a moment after the loadgen has seen it end: that work is counted.
SETTLE_S = 0.5
# Brute force guesses a password for an account the Debian image does not have: sshd then hashes
# nothing (measured here: ~25 ms per connection against ~75 ms for root, whose yescrypt hash
# pam_unix computes for every guess), so the headline comparison is the one least favourable
# to Hermes. Root's figure is reported beside it. Hermes treats every user name alike.
UNKNOWN_USER = "bench-nobody"


class BenchFailed(RuntimeError):
    pass


def _ratio(numerator: float, denominator: float):
    """None rather than a crash when the denominator measured zero (a clock tick is 10 ms)."""
    return numerator / denominator if denominator else None


def _per_connection_ms(cpu_s: float, result: dict) -> float:
    completed = int(result.get("completed", 0))
    if completed <= 0:
        raise BenchFailed(f"no connection completed: {result}")
    return cpu_s * 1000 / completed


def _bruteforce_one_process(ctx: BenchContext, pid: int, port: int) -> dict:
    """The Hermes-sized brute force against a server that is one process: its CPU per
    completed connection, from just before the load to SETTLE_S after it."""
    scale = ctx.scale
    meter = CpuMeter(pid).start()
    load = ctx.loadgen.ssh("bruteforce", port, UNKNOWN_USER, WRONG_PASSWORD,
                           connections=scale.bruteforce_connections,
                           concurrency=scale.bruteforce_concurrency)
    result = load.result(timeout=600)
    time.sleep(SETTLE_S)
    cpu_s, _ = meter.stop()
    return {"cpu_ms_per_conn": _per_connection_ms(cpu_s, result),
            "conn_per_s": result["conn_per_s"], "failed": result.get("failed")}


def _hermes_bruteforce(ctx: BenchContext) -> dict:
    with ctx.hermes("bruteforce", pool_size=1) as hermes:
        return _bruteforce_one_process(ctx, hermes.pid, hermes.port)


def _floor_bruteforce(ctx: BenchContext) -> dict:
    """The same load against libssh alone: what any libssh server pays per connection."""
    with LibsshFloor(ctx.libssh_floor_binary()) as floor:
        return _bruteforce_one_process(ctx, floor.pid, floor.port)


def _sshd_bruteforce(ctx: BenchContext, user: str) -> dict:
    scale = ctx.scale
    rootfs = ctx.debian_rootfs()
    # What starting and stopping sshd costs with no connection at all: subtracted below.
    with SshdUnderTini(rootfs) as idle_sshd:
        start_stop_s = idle_sshd.stop()
    with SshdUnderTini(rootfs) as sshd:
        load = ctx.loadgen.ssh("bruteforce", sshd.port, user, WRONG_PASSWORD,
                               connections=scale.sshd_bruteforce_connections,
                               concurrency=scale.sshd_bruteforce_concurrency)
        result = load.result(timeout=900)
        total_s = sshd.stop()
    return {"cpu_ms_per_conn": _per_connection_ms(max(total_s - start_stop_s, 0.0), result),
            "conn_per_s": result["conn_per_s"], "failed": result.get("failed"),
            "start_stop_cpu_ms": start_stop_s * 1000}


def bruteforce(ctx: BenchContext) -> dict:
    hermes = _hermes_bruteforce(ctx)
    floor = _floor_bruteforce(ctx)
    sshd = _sshd_bruteforce(ctx, UNKNOWN_USER)
    sshd_root = _sshd_bruteforce(ctx, LOGIN_USER)
    cores = ctx.cores()
    return {
        "auth_fail_cpu_ms_per_conn": hermes["cpu_ms_per_conn"],
        "sshd_auth_fail_cpu_ms_per_conn": sshd["cpu_ms_per_conn"],
        "auth_fail_cpu_ratio_sshd_over_hermes":
            _ratio(sshd["cpu_ms_per_conn"], hermes["cpu_ms_per_conn"]),
        "libssh_floor_auth_fail_cpu_ms_per_conn": floor["cpu_ms_per_conn"],
        "auth_fail_conn_per_s": hermes["conn_per_s"],
        "sshd_auth_fail_conn_per_s": sshd["conn_per_s"],
        # What the CPU alone would allow on every core of this machine: sshd's measured rate
        # is bounded by PAM's delay instead, so this is the comparable capacity.
        "auth_fail_cpu_bound_conn_per_s": _ratio(1000 * cores, hermes["cpu_ms_per_conn"]),
        "sshd_auth_fail_cpu_bound_conn_per_s": _ratio(1000 * cores, sshd["cpu_ms_per_conn"]),
        "auth_fail_failed": hermes["failed"],
        "sshd_auth_fail_failed": sshd["failed"],
        "sshd_auth_fail_root_cpu_ms_per_conn": sshd_root["cpu_ms_per_conn"],
        "sshd_auth_fail_root_conn_per_s": sshd_root["conn_per_s"],
        "sshd_start_stop_cpu_ms": sshd["start_stop_cpu_ms"],
    }


def idle(ctx: BenchContext) -> dict:
    scale = ctx.scale
    with ctx.hermes("idle", pool_size=1) as hermes:
        before = peak_rss_kib(hermes.pid, samples=3, interval_s=0.3)
        with ctx.loadgen.ssh("idle", hermes.port, LOGIN_USER, WRONG_PASSWORD,
                             connections=scale.idle_connections,
                             concurrency=scale.idle_concurrency) as running:
            opened = running.first_line()
            time.sleep(2)  # the last handshakes and the allocator settle
            during = peak_rss_kib(hermes.pid, samples=5, interval_s=0.3)
            running.release(timeout=120)
    if int(opened.get("open", 0)) <= 0:
        raise BenchFailed(f"no idle connection opened: {opened}")
    return {"idle_preauth_kib_per_conn": (during - before) / opened["open"],
            "idle_preauth_open": opened["open"], "idle_preauth_failed": opened.get("failed")}


def login(ctx: BenchContext) -> dict:
    scale = ctx.scale
    with ctx.hermes("login", pool_size=8) as hermes:
        load = ctx.loadgen.ssh("login", hermes.port, LOGIN_USER, LOGIN_PASSWORD,
                               count=scale.logins, interval_ms=scale.login_interval_ms)
        result = load.result(timeout=scale.logins * scale.login_interval_ms / 1000 + 300)
    floor = ctx.loadgen.docker("exec-floor", ctx.reference_container(),
                               count=scale.logins).result(timeout=600)
    return {"login_to_prompt_ms_p50_warm": result["p50_ms"],
            "login_to_prompt_ms_p99_warm": result["p99_ms"], "login_failed": result.get("failed"),
            "exec_floor_ms_p50": floor["p50_ms"], "exec_floor_ms_p99": floor["p99_ms"]}


def throughput(ctx: BenchContext) -> dict:
    size = ctx.scale.throughput_mib * 1024 * 1024
    with ctx.hermes("throughput", pool_size=1) as hermes:
        through_hermes = ctx.loadgen.ssh("throughput", hermes.port, LOGIN_USER, LOGIN_PASSWORD,
                                         bytes=size).result(timeout=900)
    direct = ctx.loadgen.docker("exec-throughput", ctx.reference_container(),
                                bytes=size).result(timeout=900)
    return {"throughput_mib_per_s": through_hermes["mib_per_s"],
            "exec_throughput_mib_per_s": direct["mib_per_s"],
            "throughput_ratio_vs_exec": _ratio(through_hermes["mib_per_s"], direct["mib_per_s"])}


def sessions(ctx: BenchContext) -> dict:
    scale = ctx.scale
    # Every session holds a container: Hermes must allow them all and give the engine time to
    # start that many on a busy machine.
    overrides = {"container_pool": {"spawn_timeout": 120}}
    with ctx.hermes("sessions", pool_size=16, overrides=overrides) as hermes:
        with ctx.loadgen.ssh("sessions", hermes.port, LOGIN_USER, LOGIN_PASSWORD,
                             count=scale.sessions,
                             open_concurrency=scale.sessions_open_concurrency,
                             type_seconds=scale.sessions_type_seconds,
                             type_interval_ms=scale.sessions_type_interval_ms) as running:
            running.first_line()
            meter = CpuMeter(hermes.pid).start()
            peak_kib = 0
            deadline = time.monotonic() + scale.sessions_type_seconds + 300
            while running.process.poll() is None and time.monotonic() < deadline:
                peak_kib = max(peak_kib, rss_kib(hermes.pid))
                time.sleep(0.5)
            cpu_s, wall_s = meter.stop()
            result = running.finish(timeout=60)
    return {"sessions_200_hermes_rss_mb": peak_kib / 1024,
            "sessions_200_hermes_cpu_percent": cpu_s / wall_s * 100,
            "sessions_200_echo_ms_p50": result["echo_p50_ms"],
            "sessions_200_echo_ms_p99": result["echo_p99_ms"],
            "sessions_open": result.get("open"), "sessions_failed": result.get("failed"),
            "sessions_lost_echoes": result.get("lost")}


def burst(ctx: BenchContext) -> dict:
    scale = ctx.scale
    with ctx.hermes("burst", pool_size=shipped_pool_size()) as hermes:
        load = ctx.loadgen.ssh("burst", hermes.port, LOGIN_USER, LOGIN_PASSWORD,
                               rate=scale.burst_rate, seconds=scale.burst_seconds)
        result = load.result(timeout=scale.burst_seconds + 600)
    return {"burst_sessions": result["started"], "burst_waited_over_1s": result["waited_over_1s"],
            "burst_p50_ms": result["p50_ms"], "burst_p99_ms": result["p99_ms"],
            "burst_failed": result["failed"]}


# name -> (bench, the keys it always reports: null when it could not run)
BENCHES: dict[str, tuple[Callable[[BenchContext], dict], tuple[str, ...]]] = {
    "bruteforce": (bruteforce, (
        "auth_fail_cpu_ms_per_conn", "sshd_auth_fail_cpu_ms_per_conn",
        "auth_fail_cpu_ratio_sshd_over_hermes", "libssh_floor_auth_fail_cpu_ms_per_conn",
        "auth_fail_conn_per_s",
        "sshd_auth_fail_conn_per_s", "auth_fail_cpu_bound_conn_per_s",
        "sshd_auth_fail_cpu_bound_conn_per_s", "sshd_auth_fail_root_cpu_ms_per_conn")),
    "idle": (idle, ("idle_preauth_kib_per_conn", "idle_preauth_open")),
    "login": (login, ("login_to_prompt_ms_p50_warm", "login_to_prompt_ms_p99_warm",
                      "exec_floor_ms_p50", "exec_floor_ms_p99")),
    "throughput": (throughput, ("throughput_mib_per_s", "exec_throughput_mib_per_s",
                                "throughput_ratio_vs_exec")),
    "sessions": (sessions, ("sessions_200_hermes_rss_mb", "sessions_200_hermes_cpu_percent",
                            "sessions_200_echo_ms_p50", "sessions_200_echo_ms_p99")),
    "burst": (burst, ("burst_sessions", "burst_waited_over_1s", "burst_p50_ms", "burst_p99_ms",
                      "burst_failed")),
}


def run_bench(name: str, ctx: BenchContext) -> dict:
    """One bench's results; when it cannot run, its keys are null and the reason goes to
    stderr (a bench never stops the others, and never fails on a number)."""
    bench, keys = BENCHES[name]
    print(f"bench: {name} ...", file=sys.stderr, flush=True)
    started = time.monotonic()
    try:
        results = bench(ctx)
    except Exception as error:  # noqa: BLE001 - any failure means "no figure", never a crash
        print(f"bench: {name} FAILED, its figures are null: {error}", file=sys.stderr)
        traceback.print_exc(file=sys.stderr)
        return dict.fromkeys(keys)
    print(f"bench: {name} done in {time.monotonic() - started:.0f} s", file=sys.stderr,
          flush=True)
    return results
