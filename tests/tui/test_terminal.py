"""The app in a real terminal (a pseudo-terminal): it leaves when its terminal goes away."""

from __future__ import annotations

import os
import pty
import select
import signal
import sys
import threading
import time

import pytest

from recits.project import Project

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="pseudo-terminal Linux")


def _read_until(fd: int, marker: bytes, seconds: float) -> bytes:
    """What the app paints, until `marker` shows (or the time is up)."""
    seen = b""
    deadline = time.monotonic() + seconds
    while marker not in seen and time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], deadline - time.monotonic())
        if ready:
            try:
                seen += os.read(fd, 65536)
            except OSError:
                break
    return seen


def test_the_app_leaves_when_its_terminal_closes_without_a_hangup_signal(tmp_path):
    """Under `make run`, closing the terminal (its window, tmux kill-server) sends SIGHUP to
    make, not to the app: the app must notice the terminal is gone and leave, not spin."""
    project = Project.init(tmp_path / "projet", coder="Claire")
    pid, fd = pty.fork()
    if pid == 0:  # the child: the app, with SIGHUP ignored as under make
        signal.signal(signal.SIGHUP, signal.SIG_IGN)
        os.environ.update(TERM="xterm-256color", COLUMNS="80", LINES="24")
        os.execv(
            sys.executable,
            [sys.executable, "-m", "recits", "--project", str(project.root), "--coder", "Claire"],
        )
    status: list[int] = []
    waiter = threading.Thread(target=lambda: status.append(os.waitpid(pid, 0)[1]), daemon=True)
    waiter.start()
    try:
        painted = _read_until(fd, b"Corpus", 60)
        assert b"Corpus" in painted, painted[-500:]
        os.close(fd)  # the terminal goes away
        waiter.join(timeout=20)
        assert status, "l'application tourne encore après la fermeture de son terminal"
    finally:
        if not status:
            os.kill(pid, signal.SIGKILL)
            waiter.join(timeout=5)
