"""`recits web` serves the app to a browser on this machine."""

from __future__ import annotations

import asyncio
import socket
import subprocess
import sys
import time
import urllib.request


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


def test_web_serves_the_app_on_localhost(project):
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "recits", "web", "--project", str(project.root), "--port",
         str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 20
        page = ""
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as answer:
                    page = answer.read().decode("utf-8")
                break
            except OSError:
                time.sleep(0.2)
        assert "<html" in page.lower() and "recits" in page
        assert b"Corpus" in asyncio.run(first_screen(port))  # the app itself runs behind it
    finally:
        server.terminate()
        server.wait(10)


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
