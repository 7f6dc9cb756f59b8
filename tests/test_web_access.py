"""`recits web` behind its lock: Host and Origin checked on every request, logins, one coder per
tab. The server runs in this process; the app processes it would start are recorded instead."""

from __future__ import annotations

import shlex
import socket
from collections.abc import AsyncIterator

import aiohttp
import pytest
from aiohttp.test_utils import TestServer

from recits.coders import add_coder, set_password
from recits.tui import web as web_module
from recits.tui.web import RecitsServer
from recits.tui.web_access import (
    FAILURES_ALLOWED,
    SESSION_IDLE_S,
    HostRule,
    Sessions,
    Throttle,
    split_host,
)
from tests.conftest import run


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class RecordedApp:
    """Stands for the app process textual-serve starts per tab: records its command."""

    commands: list[list[str]] = []

    def __init__(self, command: str, **kw: object) -> None:
        self.command = command
        self.write_str = kw["write_str"]

    async def start(self, width: int, height: int) -> None:
        RecordedApp.commands.append(shlex.split(self.command))
        await self.write_str("app started")  # type: ignore[operator]

    async def stop(self) -> None:
        pass


@pytest.fixture
def recorded(monkeypatch) -> list[list[str]]:
    RecordedApp.commands = []
    monkeypatch.setattr("textual_serve.server.AppService", RecordedApp)
    return RecordedApp.commands


class Client:
    """HTTP to the server at 127.0.0.1:PORT, with any Host and Origin headers a browser (or an
    attacker's page) could send."""

    def __init__(self, session: aiohttp.ClientSession, port: int) -> None:
        self.session = session
        self.port = port
        self.base = f"http://127.0.0.1:{port}"

    async def get(self, path: str, **headers: str) -> tuple[int, str, aiohttp.ClientResponse]:
        async with self.session.get(
            self.base + path, headers=headers, allow_redirects=False
        ) as answer:
            return answer.status, await answer.text(), answer

    async def login(self, name: str, password: str, **headers: str) -> tuple[int, str]:
        async with self.session.post(
            self.base + "/login", data={"name": name, "password": password},
            headers={"Origin": self.base, **headers}, allow_redirects=False,
        ) as answer:  # fmt: skip
            return answer.status, await answer.text()

    async def open_tab(self, **headers: str) -> int | str:
        """The websocket of a tab: the first message of its app, or the refusal's status."""
        try:
            async with self.session.ws_connect(
                f"ws://127.0.0.1:{self.port}/ws?width=80&height=24",
                headers={"Origin": self.base, **headers},
            ) as ws:
                message = await ws.receive(timeout=10)
                return message.data
        except aiohttp.WSServerHandshakeError as err:
            return err.status


async def serve(project, host: str = "127.0.0.1", coder: str | None = None):
    port = free_port()
    server = RecitsServer(project, coder, host, port)
    test_server = TestServer(await server._make_app(), host="127.0.0.1", port=port)
    await test_server.start_server()
    return server, test_server, port


@pytest.fixture
async def local(project, recorded) -> AsyncIterator[Client]:
    _server, test_server, port = await serve(project)
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as session:
        yield Client(session, port)
    await test_server.close()


def with_passwords(project, *names: str) -> None:
    with project.store() as store:
        for name in names:
            add_coder(store, name)
            set_password(store, name, f"mot de passe de {name}")


# -- Host and Origin ---------------------------------------------------------------------------
async def test_localhost_without_logins_serves_the_page_and_codes_as_the_default_coder(
    local, recorded
):
    status, page, answer = await local.get("/")
    assert status == 200 and "recits" in page
    assert "fonts.googleapis" not in page and "https://" not in page
    assert answer.headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in answer.headers["Content-Security-Policy"]
    # "no-referrer" would make Chromium send "Origin: null" with the login form.
    assert answer.headers["Referrer-Policy"] == "same-origin"
    for host in (f"localhost:{local.port}", f"[::1]:{local.port}", f"LOCALHOST:{local.port}"):
        assert (await local.get("/", Host=host))[0] == 200, host
    assert await local.open_tab() == "app started"
    assert recorded[-1][-1] == "--coder=Claire"  # the project's coder, as before


@pytest.mark.parametrize(
    "host",
    [
        "evil.example:{port}",  # DNS rebinding: a foreign name resolved to 127.0.0.1
        "evil.example",
        "127.0.0.1:1",  # another port
        "127.0.0.1",
        "192.168.1.10:{port}",  # only the loopback names when serving this machine
        "localhost.:{port}",
        "",
        "127.0.0.1:{port}@evil.example",
    ],
)
async def test_a_foreign_host_is_refused_and_starts_no_app(local, recorded, host):
    host = host.format(port=local.port)
    status, text, _ = await local.get("/", Host=host)
    assert status == 403 and "en-tête Host" in text
    assert (await local.get("/static/js/textual.js", Host=host))[0] == 403
    assert await local.open_tab(Host=host) == 403
    assert recorded == []


@pytest.mark.parametrize(
    "origin",
    [
        "http://evil.example",
        "http://evil.example:{port}",
        "https://127.0.0.1:{port}",
        "http://127.0.0.1:1",
        "null",
        "file://",
        "http://127.0.0.1:{port}/path",
    ],
)
async def test_a_foreign_origin_is_refused_and_starts_no_app(local, recorded, origin):
    origin = origin.format(port=local.port)
    status, text, _ = await local.get("/", Origin=origin)
    assert status == 403 and "en-tête Origin" in text
    assert await local.open_tab(Origin=origin) == 403
    assert recorded == []


async def test_a_page_of_this_server_by_another_local_name_is_allowed(local, recorded):
    origin = f"http://localhost:{local.port}"
    assert (await local.get("/", Origin=origin, Host=f"localhost:{local.port}"))[0] == 200
    assert await local.open_tab(Origin=origin) == "app started"


# -- logins ------------------------------------------------------------------------------------
async def test_once_a_coder_has_a_password_every_tab_logs_in(project, local, recorded):
    with_passwords(project, "Nadia")
    status, _, answer = await local.get("/")
    assert status == 303 and answer.headers["Location"] == "/login"
    assert await local.open_tab() == 403
    assert (await local.get("/download/anything"))[0] == 403
    assert recorded == []
    status, form, _ = await local.get("/login")
    assert status == 200 and 'type="password"' in form and "Se connecter" in form

    status, text = await local.login("Nadia", "pas le bon")
    assert status == 403 and "nom ou mot de passe incorrect" in text
    status, text = await local.login("Personne", "mot de passe de Nadia")
    assert status == 403 and "nom ou mot de passe incorrect" in text
    assert await local.open_tab() == 403 and recorded == []

    async with local.session.post(
        local.base + "/login", data={"name": "nadia", "password": "mot de passe de Nadia"},
        allow_redirects=False,
    ) as answer:  # fmt: skip
        assert answer.status == 303 and answer.headers["Location"] == "/"
        cookie = answer.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/" in cookie
    status, page, _ = await local.get("/")
    assert status == 200 and "Nadia" in page
    assert await local.open_tab() == "app started"
    assert recorded[-1][-1] == "--coder=Nadia"  # the logged-in coder, not the project's Claire


async def test_each_logged_in_tab_codes_under_its_own_name(project, recorded):
    with_passwords(project, "Nadia", "Karim Benali")
    _server, test_server, port = await serve(project, coder="Claire")
    try:
        for name in ("Nadia", "Karim Benali"):
            jar = aiohttp.CookieJar(unsafe=True)
            async with aiohttp.ClientSession(cookie_jar=jar) as session:
                client = Client(session, port)
                assert (await client.login(name, f"mot de passe de {name}"))[0] == 303
                assert await client.open_tab() == "app started"
    finally:
        await test_server.close()
    assert [command[-1] for command in recorded] == ["--coder=Nadia", "--coder=Karim Benali"]
    assert all(command[1:4] == ["-m", "recits", "app"] for command in recorded)


async def test_a_forged_or_closed_session_is_refused(project, local, recorded):
    with_passwords(project, "Nadia")
    cookie = f"recits_session_{local.port}"
    local.session.cookie_jar.update_cookies({cookie: "forged"})
    assert await local.open_tab() == 403
    assert (await local.login("Nadia", "mot de passe de Nadia"))[0] == 303
    assert await local.open_tab() == "app started"
    async with local.session.post(
        local.base + "/logout", headers={"Origin": local.base}, allow_redirects=False
    ) as answer:
        assert answer.status == 303
    assert await local.open_tab() == 403
    assert len(recorded) == 1


async def test_a_login_from_another_site_is_refused(project, local):
    with_passwords(project, "Nadia")
    status, text = await local.login("Nadia", "mot de passe de Nadia", Origin="http://evil.example")
    assert status == 403 and "en-tête Origin" in text


# -- on the network ----------------------------------------------------------------------------
def test_listening_on_the_network_without_any_password_is_refused(project):
    result = run(project, "web", "--host", "0.0.0.0", "--port", str(free_port()))
    assert result.exit_code == 1
    assert "refus d'écouter sur le réseau (--host 0.0.0.0)" in result.stderr
    assert "recits coders password" in result.stderr


async def test_on_the_network_every_tab_logs_in_and_foreign_names_are_refused(project, recorded):
    with_passwords(project, "Nadia")
    _server, test_server, port = await serve(project, host="0.0.0.0")
    try:
        async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as session:
            client = Client(session, port)
            lan = f"192.168.1.10:{port}"  # the address a colleague types
            assert (await client.get("/", Host=lan))[0] == 303
            assert (await client.get("/", Host=f"evil.example:{port}"))[0] == 403
            assert (await client.get("/", Host=lan, Origin="http://evil.example"))[0] == 403
            assert (await client.login("Nadia", "mot de passe de Nadia"))[0] == 303
            assert await client.open_tab() == "app started"
    finally:
        await test_server.close()
    assert recorded[-1][-1] == "--coder=Nadia"


# -- the rules, one by one ---------------------------------------------------------------------
def test_host_headers_are_parsed_strictly():
    assert split_host("LocalHost:8000") == ("localhost", 8000)
    assert split_host("[::1]:8000") == ("::1", 8000)
    assert split_host("example.org") == ("example.org", 80)
    for bad in ("", ":8000", "::1:8000", "[::1", "[::1]x", "a:b", "a:0", "a:70000", "a:8000:1"):
        assert split_host(bad) is None, bad


def test_on_any_address_the_machine_is_reached_by_its_address_or_its_own_name():
    rule = HostRule("0.0.0.0", 8000)
    assert rule.host_ok("192.168.1.10:8000") and rule.host_ok("[fe80::1]:8000")
    assert rule.host_ok(f"{socket.gethostname()}:8000")
    assert not rule.host_ok("evil.example:8000") and not rule.host_ok("192.168.1.10:8001")


def test_an_explicit_host_is_accepted_by_its_name():
    rule = HostRule("recits.local", 8000)
    assert rule.host_ok("recits.local:8000") and rule.host_ok("127.0.0.1:8000")
    assert not rule.host_ok("10.0.0.5:8000") and not rule.host_ok("other.local:8000")
    assert rule.origin_ok("http://recits.local:8000") and not rule.origin_ok("http://x:8000")


def test_sessions_are_forgotten_when_idle():
    now = [0.0]
    sessions = Sessions(clock=lambda: now[0])
    token = sessions.open("Nadia")
    assert sessions.coder(token) == "Nadia" and sessions.coder("autre") is None
    now[0] += SESSION_IDLE_S - 1
    assert sessions.coder(token) == "Nadia"  # used: the idle time starts again
    now[0] += SESSION_IDLE_S + 1
    assert sessions.coder(token) is None


def test_logins_are_throttled_per_address():
    throttle = Throttle()
    for _ in range(FAILURES_ALLOWED):
        assert not throttle.blocked("10.0.0.2")
        throttle.failed("10.0.0.2")
    assert throttle.blocked("10.0.0.2") and not throttle.blocked("10.0.0.3")


def test_the_app_command_quotes_any_name(project):
    server = RecitsServer(project, None, "127.0.0.1", 8000)
    command = server.app_command("Zoé d'Arc; rm -rf /")
    assert shlex.split(shlex.join(command))[-1] == "--coder=Zoé d'Arc; rm -rf /"
    assert web_module.TEMPLATES.joinpath("app_index.html").exists()
