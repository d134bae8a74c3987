"""The goals of issue 6, the results file (bench/results/latest.json) and the table."""
import json
import operator
from pathlib import Path
from typing import Optional

# key -> (comparison, bound)
GOALS = {
    "auth_fail_cpu_ms_per_conn": ("<=", 0.5),
    "auth_fail_cpu_ratio_sshd_over_hermes": (">=", 10),
    "idle_preauth_kib_per_conn": ("<=", 64),
    "login_to_prompt_ms_p50_warm": ("<=", 10),
    "login_to_prompt_ms_p99_warm": ("<=", 50),
    "throughput_ratio_vs_exec": (">=", 0.8),
    "sessions_200_hermes_rss_mb": ("<=", 200),
}
_COMPARE = {"<=": operator.le, ">=": operator.ge}

SSHD, EXEC = "sshd 9.2p1", "docker exec"
# figure, Hermes's key, (reference's key, what the reference is) or None; in the order of
# docs/performance.md
TABLE_ROWS = [
    ("brute force: CPU ms per failed login", "auth_fail_cpu_ms_per_conn",
     ("sshd_auth_fail_cpu_ms_per_conn", SSHD)),
    ("brute force: CPU ms per failed login as root", "auth_fail_cpu_ms_per_conn",
     ("sshd_auth_fail_root_cpu_ms_per_conn", SSHD + ", yescrypt hash checked")),
    ("brute force: CPU ms per failed login, libssh alone", "auth_fail_cpu_ms_per_conn",
     ("libssh_floor_auth_fail_cpu_ms_per_conn", "libssh 0.10 + OpenSSL 3.0, nothing else")),
    ("brute force: CPU ratio sshd / Hermes", "auth_fail_cpu_ratio_sshd_over_hermes", None),
    ("brute force: connections/s measured", "auth_fail_conn_per_s",
     ("sshd_auth_fail_conn_per_s", SSHD)),
    ("brute force: connections/s CPU-bound, all cores", "auth_fail_cpu_bound_conn_per_s",
     ("sshd_auth_fail_cpu_bound_conn_per_s", SSHD)),
    ("idle pre-auth: KiB per connection", "idle_preauth_kib_per_conn", None),
    ("idle pre-auth: connections open", "idle_preauth_open", None),
    ("login to prompt, warm pool: p50 ms", "login_to_prompt_ms_p50_warm",
     ("exec_floor_ms_p50", EXEC)),
    ("login to prompt, warm pool: p99 ms", "login_to_prompt_ms_p99_warm",
     ("exec_floor_ms_p99", EXEC)),
    ("throughput: MiB/s", "throughput_mib_per_s",
     ("exec_throughput_mib_per_s", EXEC)),
    ("throughput: ratio to docker exec", "throughput_ratio_vs_exec", None),
    ("sessions: Hermes RSS MB (max)", "sessions_200_hermes_rss_mb", None),
    ("sessions: Hermes CPU % (one core = 100)", "sessions_200_hermes_cpu_percent", None),
    ("sessions: echo p50 ms", "sessions_200_echo_ms_p50", None),
    ("sessions: echo p99 ms", "sessions_200_echo_ms_p99", None),
    ("burst: sessions started", "burst_sessions", None),
    ("burst: waited more than 1 s", "burst_waited_over_1s", None),
    ("burst: wait p50 ms", "burst_p50_ms", None),
    ("burst: wait p99 ms", "burst_p99_ms", None),
    ("burst: failed", "burst_failed", None),
]


def goal_outcomes(results: dict) -> dict:
    """{key: {"goal": "<= 0.5", "met": bool or None}}; None when the figure is missing."""
    outcomes = {}
    for key, (comparison, bound) in GOALS.items():
        value = results.get(key)
        met = None if value is None else bool(_COMPARE[comparison](value, bound))
        outcomes[key] = {"goal": f"{comparison} {bound}", "met": met}
    return outcomes


def write_results(path: Path, document: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, indent=2) + "\n")


def _number(value: Optional[float]) -> str:
    if value is None:
        return "n/a"
    if isinstance(value, int):
        return str(value)
    return f"{value:.3g}" if abs(value) < 100 else f"{value:.0f}"


def markdown_table(results: dict, goals: dict) -> str:
    """Rows of TABLE_ROWS whose bench ran (its keys are present, even as null)."""
    lines = ["| figure | Hermes | reference | goal | met |", "|---|---|---|---|---|"]
    for label, key, reference in TABLE_ROWS:
        if key not in results:
            continue
        goal = goals.get(key)
        goal_text = goal["goal"] if goal else ""
        met = "" if not goal else {True: "yes", False: "**no**", None: "n/a"}[goal["met"]]
        reference_text = ""
        if reference:
            reference_key, reference_name = reference
            reference_text = f"{_number(results.get(reference_key))} ({reference_name})"
        lines.append(f"| {label} | {_number(results[key])} | {reference_text} | {goal_text} | "
                     f"{met} |")
    return "\n".join(lines)
