"""Issues 4/5 "a login, not a docker exec": a command run with a pty (`ssh -t host cmd`, paramiko
get_pty + exec_command) starts at the client's terminal size, as under sshd, on the minimal
(busybox) and the Debian image, as root and as another user; later window changes still reach
it, and nothing of the way Hermes sizes the terminal stays visible to the command."""
import time

import pytest

from hermes_itest import docker_cli
from hermes_itest import hostile_clients as hc
from hermes_itest.config import DEBIAN_IMAGE

ROWS, COLS = 43, 132
CREDENTIALS = [("root", "toor"), ("deploy", "Deploy-2024")]


def pty_exec(server, command: str, user: str = "root", password: str = "toor",
             timeout: float = 60) -> tuple[str, int]:
    """paramiko: a pty of COLS x ROWS, then `command`; all its output and its exit status."""
    transport = hc.authenticated_transport(server.port, user=user, password=password)
    try:
        channel = transport.open_session(timeout=10)
        channel.get_pty(term="xterm", width=COLS, height=ROWS)
        channel.exec_command(command)
        output = hc.read_until(channel, b"\x00never", timeout=timeout)  # to the channel's end
        assert channel.exit_status_ready(), output
        return output.decode(errors="replace"), channel.recv_exit_status()
    finally:
        transport.close()


@pytest.fixture
def debian_server(hermes_server):
    if not docker_cli.image_exists(DEBIAN_IMAGE):
        pytest.fail(f"{DEBIAN_IMAGE} is missing: run `make images`", pytrace=False)
    return hermes_server(credentials=CREDENTIALS, overrides={"container_pool": {"image": DEBIAN_IMAGE}})


def test_minimal_image_stty_sees_the_client_size_as_root_and_as_another_user(hermes_server):
    server = hermes_server(credentials=CREDENTIALS)
    output, status = pty_exec(server, "stty size")
    assert (output, status) == (f"{ROWS} {COLS}\r\n", 0)
    output, status = pty_exec(server, "id -un; stty size", user="deploy", password="Deploy-2024")
    assert (output, status) == (f"deploy\r\n{ROWS} {COLS}\r\n", 0)


def test_debian_image_stty_and_tput_see_the_client_size(debian_server):
    output, status = pty_exec(debian_server, "stty size; tput cols; tput lines")
    assert (output, status) == (f"{ROWS} {COLS}\r\n{COLS}\r\n{ROWS}\r\n", 0)
    output, status = pty_exec(debian_server, "id -un; stty size; tput cols",
                              user="deploy", password="Deploy-2024")
    assert (output, status) == (f"deploy\r\n{ROWS} {COLS}\r\n{COLS}\r\n", 0)


def test_the_command_is_the_process_itself_and_its_exit_status_is_kept(debian_server):
    # The shell running the command is the exec's process: no launcher argv in its own command
    # line nor anywhere in the process list, and the command's exit status comes back unchanged.
    output, status = pty_exec(debian_server, "tr '\\0' ' ' </proc/$$/cmdline; echo; "
                                             "ps -eo args; exit 3")
    assert status == 3, output
    assert "bash -c tr" in output, output
    assert "--winsize" not in output, output


def test_a_window_change_after_the_start_still_reaches_the_command(hermes_server):
    server = hermes_server()
    transport = hc.authenticated_transport(server.port)
    try:
        channel = transport.open_session(timeout=10)
        channel.get_pty(term="xterm", width=COLS, height=ROWS)
        channel.exec_command("while read line; do stty size | tr ' ' x; done")
        reader = hc.ChannelReader(channel)
        channel.sendall(b"first\n")
        assert reader.expect(rb"(\d+)x(\d+)").group(0) == f"{ROWS}x{COLS}".encode()
        hc.window_change(channel, 100, 30)
        # The resize reaches the engine asynchronously: ask until it shows (generous bound).
        deadline = time.monotonic() + 20
        seen = []
        while time.monotonic() < deadline:
            channel.sendall(b"again\n")
            size = reader.expect(rb"(\d+)x(\d+)").group(0)
            seen.append(size)
            if size == b"30x100":
                break
            time.sleep(0.2)
        assert seen[-1] == b"30x100", seen
    finally:
        transport.close()
