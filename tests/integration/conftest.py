"""Fixtures for the integration tests: the hermes binary, the target image, and a factory that
starts `hermes serve` with a throw-away config and cleans up after it (process and containers).
Nothing here skips: a missing binary, image or Docker engine is a failure naming the fix."""
import os
from pathlib import Path
from typing import Callable

import pytest

from hermes_itest import docker_cli
from hermes_itest.config import TARGET_IMAGE
from hermes_itest.server import HermesServer

REPO_ROOT = Path(__file__).resolve().parents[2]


def attach_to_report(node, title: str, read: Callable[[], str]) -> None:
    """Registers text (read lazily, at report time) to show when this test fails."""
    if not hasattr(node, "hermes_attachments"):
        node.hermes_attachments = []
    node.hermes_attachments.append((title, read))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.failed:
        for title, read in getattr(item, "hermes_attachments", []):
            try:
                report.sections.append((title, read()))
            except Exception as error:  # a report must never hide the original failure
                report.sections.append((title, f"(could not read: {error})"))


@pytest.fixture(scope="session")
def hermes_bin() -> Path:
    configured = os.environ.get("HERMES_BIN")
    binary = Path(configured) if configured else REPO_ROOT / "build" / "hermes"
    if not binary.is_absolute():
        binary = REPO_ROOT / binary
    if not (binary.is_file() and os.access(binary, os.X_OK)):
        pytest.fail(f"hermes binary not found at {binary}: run `make build` "
                    f"(or set HERMES_BIN)", pytrace=False)
    return binary


@pytest.fixture(scope="session")
def target_image() -> str:
    if not docker_cli.engine_answers():
        pytest.fail("no Docker engine answers: run `make setup` (it installs and starts one)",
                    pytrace=False)
    if not docker_cli.image_exists(TARGET_IMAGE):
        pytest.fail(f"target image {TARGET_IMAGE} is missing: run `make image`", pytrace=False)
    return TARGET_IMAGE


@pytest.fixture
def hermes_server(request, hermes_bin, target_image, tmp_path_factory):
    """Factory: hermes_server(accept_all_after_failures=0, credentials=None, overrides=None,
    workdir=None, run_as=None, wait_listening=True) starts a server and returns its HermesServer
    (workdir: its own directory instead of a fresh pytest one; run_as: a RunAs account to start
    it under; wait_listening=False: launch without waiting for the port). At teardown each server
    gets SIGTERM and must exit 0; then exactly the containers of its sensor are removed."""
    servers: list[HermesServer] = []

    def start(workdir=None, run_as=None, wait_listening: bool = True,
              **config_options) -> HermesServer:
        server = HermesServer(hermes_bin, workdir or tmp_path_factory.mktemp("hermes"),
                              run_as=run_as, **config_options)
        servers.append(server)
        attach_to_report(request.node, f"hermes log ({server.sensor}, port {server.port})",
                         server.log_tail)
        attach_to_report(request.node, f"hermes events ({server.sensor})", server.events_tail)
        if wait_listening:
            server.start()
        else:
            server.launch()  # the test waits (or checks that it does not listen)
        return server

    yield start

    problems = []
    for server in servers:
        try:
            code = server.stop()
            if server.ready and code != 0:
                problems.append(f"hermes ({server.sensor}) exited with code {code} after SIGTERM")
        except AssertionError as error:
            problems.append(str(error))
        finally:
            docker_cli.remove_sensor_containers(server.sensor)
    assert not problems, "; ".join(problems)


@pytest.fixture
def shells(request):
    """Factory for interactive shells that are closed at teardown and whose transcripts are shown
    when the test fails: shells(server, rows=24, cols=80)."""
    opened = []

    def open_shell(server: HermesServer, **options):
        shell = server.shell(**options)
        opened.append(shell)
        attach_to_report(request.node, f"ssh transcript #{len(opened)}", shell.text)
        return shell

    yield open_shell
    for shell in opened:
        shell.close()
