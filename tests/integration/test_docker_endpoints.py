"""Issue 3 item 8: Hermes talks to the engine over docker.base_url tcp:// as well as over the Unix
socket, and every Engine API request it makes is one that docs/security.md lists (so a docker
socket proxy configured from that list lets Hermes work, and the list cannot drift)."""
import re
from pathlib import Path

import pexpect

from hermes_itest.api_endpoints import documented_endpoints, matching_row, undocumented
from hermes_itest.engine_proxy import EngineProxy
from hermes_itest.waiting import wait_until

SECURITY_MD = Path(__file__).resolve().parents[2] / "docs" / "security.md"
SIZE = re.compile(r"(\d+) (\d+)\r?\n")
STTY_COMPLAINS = re.compile(r"stty: [^\r\n]*\r?\n")

# What one login with a shell, an exec with a pty, resizes and a shutdown must use at least:
# proof that the traffic really went through the proxy and the comparison saw it.
EXPECTED_IN_A_SESSION = {
    ("GET", "/_ping"), ("GET", "/version"), ("GET", "/images/{name}/json"),
    ("POST", "/containers/create"), ("POST", "/containers/{id}/start"),
    ("POST", "/containers/{id}/rename"), ("POST", "/containers/{id}/attach"),
    ("POST", "/containers/{id}/resize"), ("POST", "/containers/{id}/exec"),
    ("POST", "/exec/{id}/start"), ("POST", "/exec/{id}/resize"), ("GET", "/exec/{id}/json"),
    ("POST", "/containers/{id}/stop"), ("DELETE", "/containers/{id}"),
    ("PUT", "/containers/{id}/archive"),  # the host keys (404 on the minimal image: still tried)
}


def exec_with_pty_and_resize(server) -> None:
    """`ssh -tt host 'loop'` whose command prints the terminal size for every line it reads;
    the command sees the client's size from the start (hermes-init's launcher sizes the pty
    before the command runs: Engine API 1.41 cannot at exec create), then the client's window
    is resized until the command sees the new size (exec resize)."""
    # Without sshpass: ssh itself must own the terminal to see SIGWINCH.
    argv = server.ssh_argv(tty=True, command="while read line; do stty size; done")
    child = pexpect.spawn(argv[0], argv[1:], dimensions=(24, 80), encoding="utf-8",
                          codec_errors="replace", timeout=60)

    def sees_size(rows: int, cols: int) -> bool:
        child.sendline("")
        # A pty at 0x0 makes busybox stty only complain.
        if child.expect([SIZE, STTY_COMPLAINS]) == 1:
            return False
        return child.match.groups() == (str(rows), str(cols))

    try:
        child.expect("assword:")
        child.sendline("toor")
        assert sees_size(24, 80), "the exec'd command did not start at 24x80"
        child.setwinsize(33, 99)
        wait_until(lambda: sees_size(33, 99), 20, "the exec'd command to see 33x99")
        child.sendcontrol("d")  # EOF on stdin ends the loop, and the command with it
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)


def test_every_engine_call_is_documented_and_tcp_base_url_works(hermes_server, shells):
    documented = documented_endpoints(SECURITY_MD)
    assert len(documented) == len(set(documented)), f"an endpoint is listed twice: {documented}"
    with EngineProxy() as proxy:
        server = hermes_server(overrides={"docker": {"base_url": proxy.base_url}})
        assert f"Docker engine answers at {proxy.base_url}" in server.log_tail()

        shell, session = server.login_shell(shells, rows=24, cols=80)
        shell.resize(40, 120)
        wait_until(lambda: "40 120" in shell.run("stty size"), 20, "the shell to see 40x120")
        exec_result = server.exec("echo via-$((40+2))")
        assert exec_result.returncode == 0 and exec_result.stdout == b"via-42\n", exec_result
        exec_with_pty_and_resize(server)
        assert shell.exit() == 0
        server.wait_for_event(session, "hermes.session.closed")
        assert server.stop() == 0
        seen = proxy.requests()

    assert seen, "the proxy saw no request: hermes did not use docker.base_url"
    missing_from_docs = undocumented(seen, documented)
    assert not missing_from_docs, (
        "Hermes called Engine API endpoints that docs/security.md does not list: "
        f"{sorted(set(missing_from_docs))}")
    used_rows = {matching_row(method, target, documented) for method, target in seen}
    assert EXPECTED_IN_A_SESSION <= used_rows, \
        f"not seen through the proxy: {sorted(EXPECTED_IN_A_SESSION - used_rows)}"

