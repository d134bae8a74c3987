#!/usr/bin/python3
"""`make bench`: runs Hermes's benchmarks next to their references (Debian's sshd, docker exec)
and writes bench/results/latest.json plus a markdown table on stdout. docs/performance.md says
what each figure means. Exits 0 whatever the numbers are; non-zero only when it cannot start
(no binary, no engine) or is interrupted."""
import argparse
import datetime
import resource
import shutil
import signal
import sys
import tempfile
from contextlib import ExitStack
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_lib import REPO_ROOT  # noqa: E402 - the path above must come first
from bench_lib.benches import BENCHES, run_bench  # noqa: E402
from bench_lib.context import FULL, QUICK, BenchContext  # noqa: E402
from bench_lib.loadgen import Loadgen, find_loadgen  # noqa: E402
from bench_lib.machine import git_commit, machine_info  # noqa: E402
from bench_lib.report import goal_outcomes, markdown_table, write_results  # noqa: E402
from hermes_itest import docker_cli  # noqa: E402


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build-dir", type=Path, default=REPO_ROOT / "build",
                        help="where hermes and bench/hermes-loadgen were built (default: build)")
    parser.add_argument("--loadgen", type=Path, default=None,
                        help="hermes-loadgen to use (default: BUILD_DIR/bench/hermes-loadgen)")
    parser.add_argument("--quick", action="store_true",
                        help="small numbers, to try the suite out in a few minutes")
    parser.add_argument("--only", default=",".join(BENCHES),
                        help=f"comma-separated benches to run (default: all of "
                             f"{','.join(BENCHES)})")
    parser.add_argument("--output", type=Path,
                        default=REPO_ROOT / "bench" / "results" / "latest.json")
    arguments = parser.parse_args()
    arguments.only = [name.strip() for name in arguments.only.split(",") if name.strip()]
    unknown = [name for name in arguments.only if name not in BENCHES]
    if unknown or not arguments.only:
        parser.error(f"unknown bench(es) {unknown}; choose from {', '.join(BENCHES)}")
    return arguments


def cannot_start(arguments: argparse.Namespace) -> str:
    """Why the suite cannot run at all ("" when it can)."""
    hermes = arguments.build_dir / "hermes"
    loadgen = find_loadgen(arguments.build_dir, arguments.loadgen)
    for binary, target in ((hermes, "hermes"), (loadgen, "hermes-loadgen")):
        if not binary.is_file():
            return (f"{binary} is missing: build it "
                    f"(cmake --build {arguments.build_dir} --target {target})")
    if not shutil.which("tini"):
        return "tini is missing (the sshd reference runs under it): run scripts/setup.sh"
    if not docker_cli.engine_answers():
        return "no Docker engine answers: run scripts/setup.sh"
    return ""


def raise_interrupt_on_sigterm() -> None:
    """SIGTERM unwinds like Ctrl-C, so everything started is stopped and removed."""
    def handler(signum, frame):
        raise KeyboardInterrupt(f"signal {signum}")
    signal.signal(signal.SIGTERM, handler)


def allow_many_descriptors() -> None:
    """Hermes and the loadgen each hold a descriptor per connection (1000+ in `idle`): they
    inherit the runner's soft limit, raised here to the hard one."""
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def run_suite(arguments: argparse.Namespace) -> dict:
    """The figures of the chosen benches. Run-wide things (temp dir, reference container,
    Debian rootfs) are removed at the end; a failure there is reported and costs no figure."""
    results: dict = {}
    try:
        with ExitStack() as run_wide:
            workspace = Path(tempfile.mkdtemp(prefix="hermes-bench-"))
            run_wide.callback(shutil.rmtree, workspace, ignore_errors=True)
            context = BenchContext(
                hermes_binary=(arguments.build_dir / "hermes").resolve(),
                loadgen=Loadgen(find_loadgen(arguments.build_dir, arguments.loadgen).resolve()),
                scale=QUICK if arguments.quick else FULL, workspace=workspace, run_wide=run_wide)
            for name in arguments.only:
                results.update(run_bench(name, context))
    except Exception as error:  # noqa: BLE001 - the figures measured so far are still written
        print(f"bench: WARNING: cleaning up after the run failed: {error}", file=sys.stderr)
    return results


def main() -> int:
    arguments = parse_arguments()
    reason = cannot_start(arguments)
    if reason:
        print(f"bench: cannot start: {reason}", file=sys.stderr)
        return 2
    raise_interrupt_on_sigterm()
    allow_many_descriptors()
    started = datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")
    try:
        results = run_suite(arguments)
    except KeyboardInterrupt:
        print("bench: interrupted; everything it started was stopped and removed", file=sys.stderr)
        return 130
    goals = goal_outcomes(results)
    write_results(arguments.output, {
        "machine": machine_info(), "when": started, "git": git_commit(),
        "quick": arguments.quick, "benches": arguments.only, "results": results, "goals": goals})
    print(markdown_table(results, goals))
    print(f"\nbench: results written to {arguments.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
