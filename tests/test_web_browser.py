"""`recits web` in a real browser (Debian's headless Chromium): the login, the app painted in
the page, and not one request that leaves this server."""

from __future__ import annotations

import asyncio
import base64
import itertools
import json
import os
import signal
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest

from recits.coders import add_coder, set_password
from tests.test_web import free_port, start_web, stop

CHROMIUM = Path(os.environ.get("RECITS_TEST_CHROMIUM", "/usr/bin/chromium"))
pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason=f"Chromium absent ({CHROMIUM}) : « make test » l'installe quand il est root et que"
    " les paquets Debian sont accessibles, sinon « apt-get install chromium »",
)
FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--window-size=1280,800",
    # Nothing could leave anyway: every name but 127.0.0.1 fails to resolve.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
)  # fmt: skip


class DevTools:
    """Chromium's DevTools protocol over its websocket: commands, and every event kept."""

    def __init__(self, ws: Any) -> None:
        self.ws = ws
        self.events: list[dict[str, Any]] = []
        self._ids = itertools.count(1)
        self._waiting: dict[int, asyncio.Future[dict[str, Any]]] = {}
        self._reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        async for message in self.ws:
            data = json.loads(message.data)
            if "id" in data and data["id"] in self._waiting:
                self._waiting.pop(data["id"]).set_result(data)
            else:
                self.events.append(data)

    async def send(self, method: str, **params: Any) -> dict[str, Any]:
        key = next(self._ids)
        self._waiting[key] = asyncio.get_running_loop().create_future()
        await self.ws.send_json({"id": key, "method": method, "params": params})
        async with asyncio.timeout(30):
            answer = await self._waiting[key]
        assert "error" not in answer, answer
        return answer.get("result", {})

    async def evaluate(self, expression: str) -> Any:
        result = await self.send(
            "Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True
        )
        return result["result"].get("value")

    async def wait_for(self, expression: str, timeout: float = 60) -> None:
        async with asyncio.timeout(timeout):
            while not await self.evaluate(expression):
                await asyncio.sleep(0.1)  # polling the page, bounded by the timeout

    def of(self, method: str) -> list[dict[str, Any]]:
        return [e["params"] for e in self.events if e.get("method") == method]


def devtools_port(profile: Path, browser: subprocess.Popen, timeout: float = 30) -> int:
    """Chromium writes the port it chose into its profile once it listens."""
    marker = profile / "DevToolsActivePort"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if marker.exists() and marker.read_text().strip():
            return int(marker.read_text().split()[0])
        assert browser.poll() is None, "Chromium s'est arrêté au démarrage"
        time.sleep(0.1)
    raise AssertionError("Chromium n'a pas ouvert son port DevTools")


async def browse(cdp_port: int, port: int, name: str, password: str) -> dict[str, Any]:
    """Open the app as a user would: the page, the login form, the app painted."""
    import aiohttp

    async with aiohttp.ClientSession() as session:
        async with session.get(f"http://127.0.0.1:{cdp_port}/json/list") as answer:
            targets = await answer.json()
        page = next(t for t in targets if t["type"] == "page")
        async with session.ws_connect(page["webSocketDebuggerUrl"], max_msg_size=0) as ws:
            tab = DevTools(ws)
            for domain in ("Network", "Page", "Runtime", "Log"):
                await tab.send(f"{domain}.enable")
            await tab.send("Page.navigate", url=f"http://127.0.0.1:{port}/")
            await tab.wait_for(
                "location.pathname === '/login' && document.readyState === 'complete'"
            )
            await tab.evaluate(
                f"document.getElementById('name').value = {json.dumps(name)};"
                f"document.getElementById('password').value = {json.dumps(password)};"
                "document.querySelector('form').submit()"
            )
            await tab.wait_for("location.pathname === '/' && document.body !== null")
            await tab.wait_for("document.body.classList.contains('-first-byte')")
            frames = b""
            deadline = time.monotonic() + 60
            while b"Corpus" not in frames and time.monotonic() < deadline:
                frames = b"".join(
                    base64.b64decode(f["response"]["payloadData"])
                    if f["response"]["opcode"] == 2
                    else f["response"]["payloadData"].encode()
                    for f in tab.of("Network.webSocketFrameReceived")
                )
                await asyncio.sleep(0.1)
            seen = {
                "frames": frames,
                "requests": [r["request"]["url"] for r in tab.of("Network.requestWillBeSent")],
                "websockets": [w["url"] for w in tab.of("Network.webSocketCreated")],
                "failed": tab.of("Network.loadingFailed"),
                "log": [e["entry"]["text"] for e in tab.of("Log.entryAdded")],
                "canvas": await tab.evaluate("!!document.querySelector('.xterm-screen canvas')"),
                "font": await tab.evaluate(
                    "document.fonts.ready.then(() => [...document.fonts].some("
                    "f => f.family.includes('Roboto Mono') && f.status === 'loaded'))"
                ),
                "cookie": await tab.evaluate("document.cookie"),
            }
            await ws.close()
    return seen


def test_the_page_logs_in_paints_the_app_and_loads_nothing_from_outside(project, tmp_path):
    with project.store() as store:
        add_coder(store, "Samia")
        set_password(store, "Samia", "mot de passe de Samia")
    port = free_port()
    server = start_web(project, port)
    profile = tmp_path / "chromium"
    browser = subprocess.Popen(
        [str(CHROMIUM), *FLAGS, f"--user-data-dir={profile}", "--remote-debugging-port=0",
         "about:blank"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    try:
        seen = asyncio.run(
            browse(devtools_port(profile, browser), port, "Samia", "mot de passe de Samia")
        )
    finally:
        os.killpg(browser.pid, signal.SIGTERM)  # the browser and its helper processes
        browser.wait(20)
        stop(server)

    here = (f"http://127.0.0.1:{port}/", f"ws://127.0.0.1:{port}/")
    outside = [u for u in seen["requests"] + seen["websockets"] if not u.startswith(here)]
    assert outside == []
    assert (
        f"http://127.0.0.1:{port}/static/fonts/RobotoMono-VariableFont_wght.ttf"
        in (seen["requests"])
    )
    assert len(seen["websockets"]) == 1 and seen["websockets"][0].startswith(here[1] + "ws?")
    assert seen["failed"] == []
    assert not [line for line in seen["log"] if "Content Security Policy" in line]
    assert seen["canvas"] and seen["font"]
    assert b"Corpus" in seen["frames"]  # the app itself, painted in the page's terminal
    assert seen["cookie"] == ""  # the session cookie is HttpOnly: scripts never see it
