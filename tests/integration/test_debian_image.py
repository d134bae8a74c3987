"""The realistic target image (`hermes image build --profile debian`): a Hermes serving it gives
an attacker Debian 12 with bash, the usual tools, the persona's OpenSSH (sftp-server included),
the bait of the original image, and hermes-init as PID 1 under the name /sbin/init."""
import hashlib
import re
import shlex
import socket
from pathlib import Path

import pytest

from hermes_itest import docker_cli
from hermes_itest.config import DEBIAN_IMAGE, HOSTNAME

OVERLAY = Path(__file__).resolve().parents[2] / "images" / "debian" / "overlay"
BAIT = ["etc/config/app.env", "var/log/access.log", "home/admin/.bash_history", "root/.ssh/config"]


@pytest.fixture
def debian_server(hermes_server):
    if not docker_cli.image_exists(DEBIAN_IMAGE):
        pytest.fail(f"{DEBIAN_IMAGE} is missing: run `make images` (or "
                    f"`build/hermes image build --profile debian`)", pytrace=False)
    return hermes_server(overrides={"container_pool": {"image": DEBIAN_IMAGE}})


def run(server, command: str) -> str:
    result = server.exec(command, timeout=180)
    assert result.returncode == 0, (command, result.stderr.decode(errors="replace"))
    return result.stdout.decode(errors="replace")


def test_login_shell_is_bash_and_pid_1_is_hermes_init_as_sbin_init(debian_server, shells):
    shell, _ = debian_server.login_shell(shells)
    assert re.search(r"5\.2\.\d+\(1\)-release", shell.run('echo "$BASH_VERSION"'))
    assert re.search(r"SHELL=/bin/bash", shell.run("echo SHELL=$SHELL"))
    assert shell.exit() == 0
    assert run(debian_server, "getent passwd root").strip() == "root:x:0:0:root:/root:/bin/bash"
    assert run(debian_server, "tr '\\0' ' ' </proc/1/cmdline").strip() == "/sbin/init"
    # PID 1 runs the very file installed as /sbin/init, and that file is a static program (not
    # Debian's systemd): hermes-init.
    hashes = re.findall(r"^[0-9a-f]{64}", run(debian_server, "sha256sum /proc/1/exe /sbin/init"), re.MULTILINE)
    assert len(hashes) == 2 and hashes[0] == hashes[1], hashes
    assert "statically linked" in run(debian_server, "file -L /sbin/init")


def test_release_packages_and_tools(debian_server):
    os_release = run(debian_server, "cat /etc/os-release")
    assert 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"' in os_release
    assert "VERSION_CODENAME=bookworm" in os_release
    tools = run(debian_server, "python3 -c 'print(6*7)'; curl --version | head -1; git --version; "
                               "ps -e -o comm= | head -1; wget --version | head -1; "
                               "nc -h 2>&1 | head -1; dig -v 2>&1; sudo -V | head -1; "
                               "ping -V 2>&1; ifconfig -a | head -1; vi --version | head -1; "
                               "nano --version | head -1; pip3 --version; file --version | head -1")
    for expected in ["42\n", "curl 7.88", "git version 2.39", "init", "GNU Wget 1.21", "OpenBSD netcat",
                     "DiG 9.18", "Sudo version 1.9", "iputils", "lo:", "VIM - Vi IMproved 9.0",
                     "GNU nano", "pip 23", "file-5.44"]:
        assert expected in tools, (expected, tools)
    # The persona's OpenSSH, current from bookworm-security; its sftp-server is what SFTP runs.
    version = run(debian_server, "dpkg-query -W -f='${Version}' openssh-server openssh-sftp-server")
    assert re.fullmatch(r"(1:9\.2p1-2\+deb12u\d+){2}", version), version
    assert run(debian_server, "test -x /usr/lib/openssh/sftp-server && echo present") == "present\n"
    # The build's service blocker is not shipped, nor the host keys openssh-server's postinst
    # made on the build host: the image's keys are decoys of its own (setup.sh), commented with
    # the persona's hostname, and Hermes wrote the sensor's public keys over the .pub files, so
    # the private halves do not match them (docs/deception.md, residual).
    assert run(debian_server, "ls /usr/sbin/policy-rc.d 2>/dev/null; true") == ""
    assert run(debian_server, "cd /etc/ssh && ls ssh_host_*").split() == sorted(
        f"ssh_host_{kind}_key{suffix}" for kind in ("rsa", "ecdsa", "ed25519") for suffix in ("", ".pub"))
    derived = run(debian_server, "ssh-keygen -y -f /etc/ssh/ssh_host_ed25519_key").split()
    served = run(debian_server, "cat /etc/ssh/ssh_host_ed25519_key.pub").split()
    assert derived[0] == served[0] == "ssh-ed25519" and derived[1] != served[1], (derived, served)
    assert derived[2] == served[2] == f"root@{HOSTNAME}" != f"root@{socket.gethostname()}", derived


def test_bait_files_are_there_with_their_contents_owners_and_ages(debian_server):
    for path in BAIT:
        expected = (OVERLAY / path).read_bytes()
        got = debian_server.exec(f"cat /{shlex.quote(path)}", timeout=120)
        assert got.returncode == 0, (path, got.stderr)
        assert hashlib.sha256(got.stdout).hexdigest() == hashlib.sha256(expected).hexdigest(), path
    assert "DB_PASSWORD=" in (OVERLAY / "etc/config/app.env").read_text()
    assert "corp.internal" in (OVERLAY / "var/log/access.log").read_text()
    owners = run(debian_server, "stat -c '%n %U:%G %a' /home/admin /home/admin/.bash_history "
                                "/etc/config/app.env /root/.ssh /var/spool/cron/crontabs/deploy")
    assert owners.splitlines() == [
        "/home/admin admin:admin 755", "/home/admin/.bash_history admin:admin 644",
        "/etc/config/app.env root:deploy 640", "/root/.ssh root:root 700",
        "/var/spool/cron/crontabs/deploy deploy:crontab 600"]
    assert "sudo" in run(debian_server, "id -nG admin").split()
    # Bait does not all carry the build's minute: the history is a day old, the env file days.
    ages = run(debian_server, "now=$(date +%s); for f in /home/admin/.bash_history /etc/config/app.env "
                              "/var/log/access.log; do echo $(( now - $(stat -c %Y $f) )); done")
    history, env_file, access_log = (int(x) for x in ages.split())
    assert history > 20 * 3600 and env_file > 5 * 86400 and access_log > 5 * 60, ages
