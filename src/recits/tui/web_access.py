"""Who may reach `recits web`: the Host and Origin it answers, login sessions, login throttling."""

from __future__ import annotations

import ipaddress
import secrets
import socket
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1")
WILDCARDS = ("0.0.0.0", "::", "")
SESSION_IDLE_S = 12 * 3600  # a tab left a working day keeps its login
FAILURES_ALLOWED = 10  # failed logins from one address within FAILURE_WINDOW_S
FAILURE_WINDOW_S = 600.0


def is_loopback(host: str) -> bool:
    """Whether listening on `host` keeps the server on this machine."""
    name = host.strip("[]").lower()
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def _is_ip(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def split_host(value: str) -> tuple[str, int] | None:
    """A Host header (or an Origin's netloc) as (lower-case name, port); None if malformed."""
    value = value.strip().lower()
    if value.startswith("["):
        name, sep, rest = value[1:].partition("]")
        if not sep or (rest and not rest.startswith(":")):
            return None
        port_text = rest[1:]
    elif value.count(":") > 1:
        return None  # a bare IPv6 address must be bracketed
    else:
        name, _, port_text = value.partition(":")
    if not name:
        return None
    if not port_text:
        return name, 80
    if not port_text.isdigit() or not 0 < int(port_text) < 65536:
        return None
    return name, int(port_text)


@dataclass(frozen=True)
class HostRule:
    """The names this server answers to on its port: a request naming another host is a DNS
    rebinding attempt (a foreign name resolved to this machine), a foreign Origin is a page of
    another site driving the app."""

    host: str
    port: int
    names: frozenset[str] = field(init=False)

    def __post_init__(self) -> None:
        listen = self.host.strip("[]").lower()
        names = set(LOOPBACK_NAMES) | {listen}
        if listen in WILDCARDS:
            # Reached by address or by this machine's own name (no DNS lookup: no network at
            # run time); never by a name someone else controls (DNS rebinding needs one).
            hostname = socket.gethostname().lower()
            names |= {hostname, f"{hostname}.local"}
        names.discard("")
        object.__setattr__(self, "names", frozenset(names))

    @property
    def any_address(self) -> bool:
        return self.host.strip("[]") in WILDCARDS

    def host_ok(self, header: str | None) -> bool:
        parsed = split_host(header or "")
        if parsed is None:
            return False
        name, port = parsed
        if port != self.port:
            return False
        return name in self.names or (self.any_address and _is_ip(name))

    def origin_ok(self, origin: str | None) -> bool:
        """No Origin (a plain navigation, a non-browser client) is fine; one that is sent must
        be this very server, over http."""
        if origin is None:
            return True
        parts = urlsplit(origin.strip())
        if parts.scheme != "http" or parts.path or parts.query or parts.fragment:
            return False
        return self.host_ok(parts.netloc)


@dataclass
class _Session:
    coder: str
    seen: float


class Sessions:
    """Logged-in browser sessions: a random token (the cookie) for a coder name, held in this
    server's memory only, forgotten after SESSION_IDLE_S unused or when the server stops."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._by_token: dict[str, _Session] = {}

    def open(self, coder: str) -> str:
        self._forget_idle()
        token = secrets.token_urlsafe(32)
        self._by_token[token] = _Session(coder, self._clock())
        return token

    def coder(self, token: str | None) -> str | None:
        session = self._by_token.get(token or "")
        if session is None:
            return None
        now = self._clock()
        if now - session.seen > SESSION_IDLE_S:
            del self._by_token[token or ""]
            return None
        session.seen = now
        return session.coder

    def close(self, token: str | None) -> None:
        self._by_token.pop(token or "", None)

    def _forget_idle(self) -> None:
        now = self._clock()
        for token in [t for t, s in self._by_token.items() if now - s.seen > SESSION_IDLE_S]:
            del self._by_token[token]


class Throttle:
    """Failed logins per client address: past FAILURES_ALLOWED within the window, refused."""

    def __init__(self) -> None:
        self._failures: dict[str, deque[float]] = {}

    def blocked(self, address: str) -> bool:
        failures = self._failures.get(address)
        if not failures:
            return False
        cutoff = time.monotonic() - FAILURE_WINDOW_S
        while failures and failures[0] < cutoff:
            failures.popleft()
        return len(failures) >= FAILURES_ALLOWED

    def failed(self, address: str) -> None:
        self._failures.setdefault(address, deque()).append(time.monotonic())

    def succeeded(self, address: str) -> None:
        self._failures.pop(address, None)
