"""Docker engine faults and crash safety (issue 3, items 5 and 6): an engine absent at start, lost
and back mid-run, stuck; a pool container killed while idle; hermes killed with SIGKILL and
restarted. The engine is broken through hermes_itest.engine_proxy (a TCP front for the real
engine); the real dockerd is never stopped."""
import time

import pytest

from hermes_itest import docker_cli
from hermes_itest.engine_proxy import EngineProxy
from hermes_itest.recording import asciinema_cat, output_text, read_cast
from hermes_itest.server import free_tcp_port, is_listening
from hermes_itest.waiting import wait_until

POOL_SIZE = 2


@pytest.fixture
def proxy():
    front = EngineProxy(port=free_tcp_port())
    yield front
    front.thaw()
    front.stop()


def through(proxy: EngineProxy, **extra) -> dict:
    overrides = {"docker": {"base_url": proxy.base_url}}
    overrides.update(extra)
    return overrides


def running_pool(server) -> list[dict]:
    return [c for c in server.containers(running_only=True)
            if c["name"].startswith(server.pool_container_prefix())]


def wait_pool_warm(server, timeout: float = 60) -> list[dict]:
    wait_until(lambda: len(running_pool(server)) == POOL_SIZE, timeout, "the pool to be warm")
    return running_pool(server)


def log_has(server, text: str) -> bool:
    return text in server.log_tail(2000)


def login_failures(server, reason: str) -> list[dict]:
    return [e for e in server.events()
            if e.get("eventid") == "hermes.login.failed" and e.get("reason") == reason]


def exec_until_it_works(server, timeout: float = 90) -> bytes:
    """Logins are refused until the engine watch noticed the engine's return; retry until one
    gets a shell."""
    def attempt():
        result = server.exec("echo alive", timeout=60)
        return result.stdout if result.returncode == 0 else None
    return wait_until(attempt, timeout, "a login with a working shell")


def test_engine_absent_at_start_waits_without_listening_then_serves(hermes_server, proxy):
    server = hermes_server(wait_listening=False, overrides=through(proxy))
    wait_until(lambda: log_has(server, "Start the Docker engine"), 30, "the engine error in the log")
    log = server.log_tail()
    assert f"tcp://127.0.0.1:{proxy.port}" in log, log
    # It keeps retrying (with backoff) and does not listen meanwhile.
    wait_until(lambda: log_has(server, "still no Docker engine"), 30, "a retry line in the log")
    assert server.process.poll() is None
    assert not is_listening(server.port)

    proxy.start()
    server.wait_listening(90)
    assert server.exec("echo alive").stdout == b"alive\n"


def test_sigterm_while_waiting_for_the_engine_exits_0_promptly(hermes_server, proxy):
    server = hermes_server(wait_listening=False, overrides=through(proxy))
    wait_until(lambda: log_has(server, "Start the Docker engine"), 30, "the engine error in the log")
    started = time.monotonic()
    assert server.stop(timeout=15) == 0
    assert time.monotonic() - started < 10
    assert not server.containers()


def test_missing_image_is_a_clear_error_naming_the_build_command(hermes_server):
    server = hermes_server(wait_listening=False,
                           overrides={"container_pool": {"image": "hermes-target-nosuch:latest"}})
    assert server.process.wait(timeout=60) == 1
    assert "hermes image build --profile nosuch" in server.log_tail()
    assert not is_listening(server.port)


def test_engine_lost_mid_session_and_back(hermes_server, shells, proxy):
    proxy.start()
    server = hermes_server(overrides=through(proxy))
    old_pool = {c["id"] for c in wait_pool_warm(server)}
    shell, session = server.login_shell(shells)
    assert "before-loss" in shell.run("echo before-loss")
    container = server.container_of(session)
    old_pool.discard(container)  # taken by the session: kept, not stale

    proxy.stop()
    # The session's streams break: the client is let go, and the session ends cleanly.
    shell.wait_closed(timeout=40)
    server.wait_for_event(session, "hermes.session.closed", timeout=40)
    closed_log = server.wait_for_event(session, "hermes.log.closed", timeout=5)
    cast = server.cast_path(session)
    assert closed_log["size"] == cast.stat().st_size
    _, events = read_cast(cast)
    assert "before-loss" in output_text(events)
    assert asciinema_cat(cast).returncode == 0
    wait_until(lambda: log_has(server, "lost the Docker engine"), 30, "the loss in the log")
    assert server.process.poll() is None

    # Meanwhile a correct password fails, as an ordinary failed login.
    refused = server.exec("echo never", timeout=60)
    assert refused.returncode != 0 and b"never" not in refused.stdout
    wait_until(lambda: login_failures(server, "sandbox unavailable"), 10,
               "a login.failed with reason 'sandbox unavailable'")

    proxy.start()
    assert exec_until_it_works(server) == b"alive\n"
    assert log_has(server, "answers again")
    # Reconciled on return: the session's container stopped and kept, the old pool removed.
    reconciled = server.wait_for_event(session, "hermes.container.reconciled", timeout=30)
    assert reconciled["action"] == "stopped" and reconciled["container_id"] == container
    assert reconciled["trigger"] == "engine_back"
    kept = docker_cli.inspect(container)
    assert kept["State"]["Status"] == "exited"
    wait_until(lambda: not old_pool & {c["id"] for c in server.containers()}, 30,
               "the stale pool containers removed")
    wait_pool_warm(server)
    assert server.process.poll() is None


def test_stuck_engine_fails_a_login_within_the_spawn_timeout(hermes_server, proxy):
    proxy.start()
    server = hermes_server(overrides=through(proxy, container_pool={"spawn_timeout": 3}))
    wait_pool_warm(server)

    proxy.freeze()
    started = time.monotonic()
    stuck = server.exec("echo hi", timeout=60)
    elapsed = time.monotonic() - started
    assert stuck.returncode != 0 and b"hi" not in stuck.stdout
    assert b"Docker" not in stuck.stderr and b"docker" not in stuck.stderr, stuck.stderr
    assert elapsed < 30, f"the client waited {elapsed:.1f}s on a stuck engine"
    assert server.process.poll() is None

    proxy.thaw()
    assert exec_until_it_works(server) == b"alive\n"


def test_idle_pool_container_killed_from_outside_is_never_handed_out(hermes_server):
    server = hermes_server()
    victims = [c["id"] for c in wait_pool_warm(server)]
    for victim in victims:
        docker_cli.docker("kill", victim)
    wait_until(lambda: server.log_tail(2000).count("ended while idle") >= len(victims), 30,
               "the pool to notice its dead containers")
    result = server.exec("echo alive")
    assert result.returncode == 0 and result.stdout == b"alive\n", result.stderr
    session = server.session_ids()[-1]
    assert server.container_of(session) not in victims
    wait_until(lambda: not set(victims) & {c["id"] for c in server.containers()}, 30,
               "the dead pool containers removed")


def test_kill_9_mid_session_then_restart_reconciles(hermes_server, shells):
    server = hermes_server()
    pool = {c["id"] for c in wait_pool_warm(server)}
    shell, session = server.login_shell(shells)
    assert "evidence-marker" in shell.run("echo evidence-marker")
    container = server.container_of(session)
    pool.discard(container)

    server.kill()
    shell.wait_closed(timeout=30)
    assert docker_cli.inspect(container)["State"]["Running"]

    server.restart()
    reconciled = server.wait_for_event(session, "hermes.container.reconciled", timeout=30)
    assert reconciled["action"] == "stopped" and reconciled["trigger"] == "startup"
    kept = docker_cli.inspect(container)
    assert kept["State"]["Status"] == "exited"
    assert kept["Name"].lstrip("/") == server.session_container_name(session)

    removed = {e["container_id"] for e in server.events()
               if e.get("eventid") == "hermes.container.reconciled" and e.get("action") == "removed"}
    assert pool <= removed
    assert not pool & {c["id"] for c in server.containers()}

    # The killed session's recording was never closed, yet it is valid asciicast.
    cast = server.cast_path(session)
    _, events = read_cast(cast)
    assert "evidence-marker" in output_text(events)
    played = asciinema_cat(cast)
    assert played.returncode == 0, played.stderr
    assert b"evidence-marker" in played.stdout

    assert server.exec("echo alive").stdout == b"alive\n"
