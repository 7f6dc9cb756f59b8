"""Worker processes die with the process that started them, even after a `kill -9`."""

from __future__ import annotations

import os
import signal
import sys
import threading
from pathlib import Path

# A pool worker whose parent is gone waits forever on its task queue (every worker holds the
# queue's write end, so it never sees the end of it): it must notice by itself.
WATCH_INTERVAL_S = 0.5
_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def die_with_parent(owner: int) -> None:
    """Pool initializer: end this worker when `owner` (the process that made the pool) dies.

    On Linux the kernel kills the worker when its parent dies (PR_SET_PDEATHSIG): the owner,
    or the fork server the owner started, which ends with it. Everywhere, a thread checks
    twice a second that the parent and the owner are still there.
    """
    parent = os.getppid()
    _kill_me_with_my_parent()
    if not _alive(owner):  # the owner died before the line above: nobody will signal us
        os._exit(1)
    watchdog = threading.Thread(
        target=_watch, args=(owner, parent), name="recits-watchdog", daemon=True
    )
    watchdog.start()


def _kill_me_with_my_parent() -> None:
    if not sys.platform.startswith("linux"):
        return
    import ctypes  # only in worker processes, on Linux
    import ctypes.util

    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        pass  # the watchdog is enough


def _watch(owner: int, parent: int) -> None:
    stop = threading.Event()
    while not stop.wait(WATCH_INTERVAL_S):
        if os.getppid() != parent or not _alive(owner):
            os._exit(1)


def _alive(pid: int) -> bool:
    """Whether `pid` runs: a dead process not yet reaped (a zombie) counts as dead."""
    if os.name == "nt":
        return True  # os.kill would end the process there, not probe it
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True  # no /proc: the process exists, that is all we know
    return stat.rsplit(")", 1)[-1].split()[0] not in ("Z", "X")
