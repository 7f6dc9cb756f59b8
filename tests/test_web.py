"""`recits web` serves the app to a browser on this machine."""

from __future__ import annotations

import asyncio
import re
import socket
import subprocess
import sys
import time
import urllib.request

from recits.coders import add_coder, set_password

ANSI = re.compile(rb"\x1b\[[0-9;?]*[a-zA-Z]")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def first_screen(port: int) -> bytes:
    """What a browser tab receives when it connects: the app's first screen."""
    import aiohttp

    received = b""
    async with aiohttp.ClientSession() as session:
        url = f"http://127.0.0.1:{port}/ws?width=100&height=30"
        async with session.ws_connect(url) as ws:
            try:
                async with asyncio.timeout(20):
                    async for message in ws:
                        data = message.data
                        received += data.encode() if isinstance(data, str) else data
                        if b"Corpus" in received:
                            break
            except TimeoutError:
                pass
    return received


def start_web(project, port: int) -> subprocess.Popen:
    """`recits web` in its own process, once it answers."""
    server = subprocess.Popen(
        [sys.executable, "-m", "recits", "web", "--project", str(project.root), "--port",
         str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return server
        except OSError:
            if server.poll() is not None:
                raise AssertionError(server.stderr.read() if server.stderr else "") from None
            time.sleep(0.1)
    server.terminate()
    raise AssertionError("recits web ne répond pas")


def stop(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(30)
    except subprocess.TimeoutExpired:  # a loaded machine: don't fail the test on the way out
        server.kill()
        server.wait(10)


def test_web_serves_the_app_on_localhost(project):
    port = free_port()
    server = start_web(project, port)
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as answer:
            page = answer.read().decode("utf-8")
        assert "<html" in page.lower() and "recits" in page
        assert b"Corpus" in asyncio.run(first_screen(port))  # the app itself runs behind it
    finally:
        stop(server)


async def code_first_sentence_as(port: int, name: str, password: str) -> bytes:
    """Log in as a browser would, open a tab, open the first document and press 1."""
    import aiohttp

    base = f"http://127.0.0.1:{port}"
    received = b""

    async def until(text: str, ws: aiohttp.ClientWebSocketResponse) -> None:
        """Until the screen shows `text` (escape sequences apart)."""
        nonlocal received
        async with asyncio.timeout(60):
            async for message in ws:
                data = message.data
                received += data.encode() if isinstance(data, str) else data
                if text.encode() in ANSI.sub(b"", received):
                    return

    jar = aiohttp.CookieJar(unsafe=True)  # cookies from an IP address, as browsers take them
    async with aiohttp.ClientSession(cookie_jar=jar) as session:
        async with session.post(
            f"{base}/login", data={"name": name, "password": password},
            headers={"Origin": base}, allow_redirects=False,
        ) as answer:  # fmt: skip
            assert answer.status == 303, await answer.text()
        async with session.ws_connect(
            f"ws://127.0.0.1:{port}/ws?width=120&height=40", headers={"Origin": base}
        ) as ws:
            await until("Corpus", ws)
            received = b""
            await ws.send_json(["stdin", "\r"])  # open the first document
            await until(f"codeur·euse : {name.capitalize()}", ws)
            received = b""
            await ws.send_json(["stdin", "1"])  # code its first sentence with code n°1
            await until("(1)", ws)  # the codebook panel counts it
    return received


def test_a_logged_in_tab_codes_under_its_own_name(project, tmp_path):
    source = tmp_path / "entretien.txt"
    source.write_text(
        "Nadia : Au début les éducateurs me voyaient comme une usagère.\n", encoding="utf-8"
    )
    subprocess.run(
        [sys.executable, "-m", "recits", "import", "--project", str(project.root), str(source)],
        check=True, capture_output=True,
    )  # fmt: skip
    with project.store() as store:
        add_coder(store, "Samia")
        set_password(store, "Samia", "mot de passe de Samia")
    port = free_port()
    server = start_web(project, port)
    try:
        asyncio.run(code_first_sentence_as(port, "samia", "mot de passe de Samia"))
        deadline = time.monotonic() + 30
        coders: list[str] = []
        while time.monotonic() < deadline and not coders:
            with project.store() as store:
                coders = [c.coder for c in store.codings()]
            if not coders:
                time.sleep(0.1)
    finally:
        stop(server)
    assert coders == ["Samia"]  # not the project's coder, Claire


def test_web_on_a_busy_port_says_so(project):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "recits", "web", "--project", str(project.root), "--port",
             str(port)],
            capture_output=True, text=True, timeout=30,
        )  # fmt: skip
    assert result.returncode == 1
    assert f"impossible d'écouter sur 127.0.0.1:{port}" in result.stderr
    assert "Traceback" not in result.stderr
