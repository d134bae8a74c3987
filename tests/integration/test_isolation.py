"""(e) Two attackers at once get two containers: what one does, the other cannot see."""


def test_concurrent_sessions_do_not_share_a_filesystem(hermes_server, shells):
    server = hermes_server()
    first, first_session = server.login_shell(shells)
    second, second_session = server.login_shell(shells)
    assert second_session != first_session

    assert "created-A" in first.run("echo secret > /root/secret-A && echo created-A")
    assert "secret-A" in first.run("ls /root")  # the file is really there for its owner
    listing = second.run("ls -a /root; echo listed-B")
    assert "listed-B" in listing and "secret-A" not in listing

    assert server.container_of(first_session) != server.container_of(second_session)
    assert first.exit() == 0 and second.exit() == 0
