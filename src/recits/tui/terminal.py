"""The terminal the app runs in: noticing it has gone away, and leaving then."""

from __future__ import annotations

import os
import termios
import threading

HANG_UP_GRACE_SECONDS = 3.0  # to leave cleanly once the terminal is gone, before forcing it


def terminal_fd(driver: object) -> int | None:
    """The terminal the app reads its keys from (None in a browser or a test)."""
    fd = getattr(driver, "fileno", None)
    return fd if isinstance(fd, int) and os.isatty(fd) else None


def hung_up(fd: int) -> bool:
    """Whether the terminal has hung up: its attributes can no longer be read."""
    try:
        termios.tcgetattr(fd)
    except (termios.error, OSError):
        return True
    return False


def force_exit_later() -> None:
    """The process ends HANG_UP_GRACE_SECONDS from now if it has not by itself: after a hang-up
    Textual's writer thread, dead on the first failed write, can block its exit (committed
    work is safe in SQLite)."""
    watchdog = threading.Timer(HANG_UP_GRACE_SECONDS, os._exit, [129])
    watchdog.daemon = True
    watchdog.start()
