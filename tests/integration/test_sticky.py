"""Per-address stickiness (container_pool.sticky_window): an attacker returning from the same
address within the window gets the previous container back, restarted, files included; another
address, or a window of 0, gets a fresh one."""
import subprocess

from hermes_itest.ssh_client import ssh_argv


def exec_from(server, address: str, command: str) -> subprocess.CompletedProcess:
    argv = ssh_argv(server.port, password="toor", command=command, extra=["-o", f"BindAddress={address}"])
    return subprocess.run(argv, capture_output=True, timeout=120)


def session_by(server, address: str, command: str) -> tuple[str, subprocess.CompletedProcess]:
    known = server.session_ids()
    result = exec_from(server, address, command)
    session = server.wait_for_new_session(known)
    server.wait_for_event(session, "hermes.session.closed")
    return session, result


def test_a_returning_address_gets_its_container_back(hermes_server, shells):
    server = hermes_server(overrides={"container_pool": {"sticky_window": 300}})

    # First visit: an interactive login (hermes-init runs the shell, writes utmp/wtmp, maybe adds
    # the user) that leaves a file behind.
    shell, first = server.login_shell(shells)
    shell.run("echo left-behind > /root/sticky.txt")
    assert shell.exit() == 0
    server.wait_for_event(first, "hermes.session.closed")
    container = server.container_of(first)

    # Second visit from the same address: same container, file there, init working again.
    shell, second = server.login_shell(shells)
    assert "left-behind" in shell.run("cat /root/sticky.txt")
    assert "again" in shell.run("echo ag''ain")
    assert shell.exit() == 0
    attached = server.wait_for_event(second, "hermes.container.attached")
    assert attached["container_id"] == container
    assert attached["reused"] is True and attached["previous_session"] == first
    assert attached["container_name"] == server.session_container_name(second)
    server.wait_for_event(second, "hermes.session.closed")

    # Exec works in a reused container too (third visit, still the same one).
    third, result = session_by(server, "127.0.0.1", "cat /root/sticky.txt")
    assert result.stdout == b"left-behind\n", result.stderr
    assert server.container_of(third) == container

    # Another address gets a fresh container, without the file.
    other, result = session_by(server, "127.0.0.2", "cat /root/sticky.txt 2>&1; echo rc=$?")
    assert server.container_of(other) != container
    assert b"rc=1" in result.stdout, result.stdout
    assert server.wait_for_event(other, "hermes.container.attached")["reused"] is False

    # The kept container is stopped between visits, and carries the latest session's name.
    kept = [c for c in server.containers() if c["id"] == container]
    assert kept and kept[0]["name"] == server.session_container_name(third)


def test_two_sessions_from_one_address_never_share_a_container(hermes_server, shells):
    server = hermes_server(overrides={"container_pool": {"sticky_window": 300}})
    first, _ = session_by(server, "127.0.0.1", "true")
    container = server.container_of(first)
    # Two logins at once from the address: one gets the container back, the other a fresh one.
    shell_a, session_a = server.login_shell(shells)
    shell_b, session_b = server.login_shell(shells)
    ids = {server.container_of(session_a), server.container_of(session_b)}
    assert len(ids) == 2 and container in ids
    shell_a.exit()
    shell_b.exit()


def test_without_a_window_every_login_gets_a_new_container(hermes_server):
    server = hermes_server()  # sticky_window defaults to 0
    first, result = session_by(server, "127.0.0.1", "echo x > /root/f; echo ok")
    assert result.stdout == b"ok\n", result.stderr
    second, result = session_by(server, "127.0.0.1", "cat /root/f 2>&1; echo rc=$?")
    assert server.container_of(first) != server.container_of(second)
    assert b"rc=1" in result.stdout, result.stdout
    assert server.wait_for_event(second, "hermes.container.attached")["reused"] is False
