"""(f) The warm pool: back to its size after a session took a container, and the session's
container kept (stopped) for analysis instead of removed."""
from hermes_itest import docker_cli
from hermes_itest.waiting import wait_until

POOL_SIZE = 2


def running_pool(server) -> list[dict]:
    return [c for c in server.containers(running_only=True)
            if c["name"].startswith(server.pool_container_prefix())]


def test_pool_is_refilled_and_the_session_container_is_kept(hermes_server):
    server = hermes_server()
    wait_until(lambda: len(running_pool(server)) == POOL_SIZE, 60, "the pool to be warm")

    known = server.session_ids()
    result = server.exec("echo used > /root/mark; echo done")
    assert result.returncode == 0 and result.stdout == b"done\n", result.stderr
    session = server.wait_for_new_session(known)
    server.wait_for_event(session, "hermes.session.closed")
    container = server.container_of(session)

    def settled():
        running = server.containers(running_only=True)
        pool = running_pool(server)
        return len(running) == POOL_SIZE and len(pool) == POOL_SIZE and \
            container not in {c["id"] for c in running}
    wait_until(settled, 30, f"the pool back at {POOL_SIZE} with the session container stopped")

    kept = docker_cli.inspect(container)
    assert kept["State"]["Status"] == "exited"
    assert kept["Name"].lstrip("/") == server.session_container_name(session)
    assert kept["Config"]["Labels"].get("hermes.sensor") == server.sensor
