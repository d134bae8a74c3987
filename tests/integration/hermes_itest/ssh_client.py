"""Real SSH clients against the test server: OpenSSH (non-interactive through sshpass, or
interactive under a pty with pexpect) and the building blocks for paramiko tests."""
import io
import os
import re
from typing import Optional, Sequence

import pexpect

# busybox sh in the target image prints "root@prod-web-01:~# "; any user, host and directory.
PROMPT = re.compile(r"[\w.-]+@[\w.-]+:[^\r\n#$]*[#$] ")


def ssh_argv(port: int, user: str = "root", password: Optional[str] = None,
             command: Optional[str] = None, tty: bool = False,
             extra: Sequence[str] = ()) -> list[str]:
    """argv for OpenSSH to 127.0.0.1:port with password auth only and no host-key memory.
    With a password it runs under sshpass (non-interactive); without, the caller answers."""
    argv = ["sshpass", "-p", password] if password is not None else []
    argv += [
        "ssh", "-F", "/dev/null",  # no user or system config: the same client everywhere
        "-p", str(port),
        "-o", "StrictHostKeyChecking=no",
        "-o", "UserKnownHostsFile=/dev/null",
        "-o", "PreferredAuthentications=password",
        "-o", "PubkeyAuthentication=no",
        "-o", "NumberOfPasswordPrompts=1",
        "-o", "ConnectTimeout=30",
        "-o", "LogLevel=ERROR",  # keeps "Permanently added ..." out of the command's stderr
        *extra,
    ]
    if tty:
        argv.append("-tt")
    argv.append(f"{user}@127.0.0.1")
    if command is not None:
        argv.append(command)
    return argv


class InteractiveShell:
    """`ssh -tt` under a pty of the given size, driven like a person at a terminal. Everything
    the client printed is kept in `transcript` for failure reports."""

    def __init__(self, port: int, user: str = "root", rows: int = 24, cols: int = 80,
                 timeout: float = 60):
        self.transcript = io.StringIO()
        argv = ssh_argv(port, user=user, tty=True)
        env = dict(os.environ, TERM="xterm")
        self.child = pexpect.spawn(argv[0], argv[1:], dimensions=(rows, cols), env=env,
                                   encoding="utf-8", codec_errors="replace", timeout=timeout)
        self.child.logfile_read = self.transcript

    def login(self, password: str) -> None:
        self.child.expect("assword:")
        self.child.sendline(password)
        self.child.expect(PROMPT)

    def run(self, command: str, timeout: Optional[float] = None) -> str:
        """Types a command and returns what it printed: the text between the echo of the typed
        line and the next prompt. Waiting for the echo first matters: busybox's line editor may
        redraw a prompt (after asking for the cursor position) once it was already matched, and
        counting prompts would then read one command behind."""
        self.child.sendline(command)
        wait = timeout if timeout is not None else -1
        self.child.expect_exact(command, timeout=wait)
        self.child.expect(PROMPT, timeout=wait)
        return self.child.before

    def resize(self, rows: int, cols: int) -> None:
        self.child.setwinsize(rows, cols)  # ssh sees SIGWINCH and sends window-change

    def exit(self, timeout: float = 30) -> Optional[int]:
        """`exit` at the prompt; returns ssh's exit status once it has closed."""
        self.child.sendline("exit")
        self.child.expect(pexpect.EOF, timeout=timeout)
        self.child.close()
        return self.child.exitstatus

    def wait_closed(self, timeout: float = 30) -> None:
        self.child.expect(pexpect.EOF, timeout=timeout)
        self.child.close()

    def close(self) -> None:
        if self.child.isalive():
            self.child.terminate(force=True)

    def text(self) -> str:
        return self.transcript.getvalue()
