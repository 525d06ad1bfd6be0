"""``leap serve``: the app in a browser, on this machine only unless explicitly told otherwise."""

from __future__ import annotations

import asyncio
import json
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import aiohttp
import pytest

from tui.cli import main
from tui.commands.serve import is_local, url_for

ROOT = Path(__file__).resolve().parents[1]
CLOSED = {aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSING, aiohttp.WSMsgType.CLOSED}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_serve(db: Path, port: int) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tui", "serve", "--db", str(db), "--port", str(port)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def processes_using(db: Path) -> list[int]:
    """Ids of running processes whose command line names ``db`` (the app's sessions)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cmdline = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            if str(db).encode() in cmdline:
                found.append(int(entry.name))
    return found


async def browse(url: str, stop: Callable[[], None]) -> tuple[str, bool, str, bool]:
    """What a browser does: fetch the page, open the app's websocket, ping it, read the screen;
    then ``stop`` the server with the tab still open, and see whether it closes the tab."""
    async with aiohttp.ClientSession() as session:
        async with session.get(url) as response:
            assert response.status == 200
            page = await response.text()
        script = re.search(r'<script src="([^"]+)"', page)
        assert script, "the page loads no script"
        async with session.get(script.group(1)) as response:  # the terminal in the page
            assert response.status == 200 and len(await response.read()) > 10_000
        ws_url = url.replace("http://", "ws://") + "/ws?width=100&height=30"
        async with session.ws_connect(ws_url) as ws:
            await ws.send_str(json.dumps(["ping", "leap-test"]))
            pong, screen = False, b""
            deadline = time.monotonic() + 60
            while not (pong and b"Findings" in screen) and time.monotonic() < deadline:
                message = await ws.receive(timeout=deadline - time.monotonic())
                if message.type is aiohttp.WSMsgType.TEXT:
                    pong = pong or json.loads(message.data) == ["pong", "leap-test"]
                elif message.type is aiohttp.WSMsgType.BINARY:
                    screen += message.data
                else:
                    break
            stop()
            closed = False
            while not closed and time.monotonic() < deadline:
                message = await ws.receive(timeout=deadline - time.monotonic())
                closed = message.type in CLOSED
    text = re.sub(rb"\x1b\[[0-9;?$]*[A-Za-z]", b"", screen).decode("utf-8", "replace")
    return page, pong, text, closed


@pytest.mark.slow
def test_serve_shows_the_app_in_a_browser_and_stops_cleanly(tmp_path: Path) -> None:
    db = tmp_path / "served.db"
    assert main(["demo-data", "--db", str(db), "--findings", "50", "--quiet"]) == 0
    port = free_port()
    server = start_serve(db, port)
    try:
        assert server.stdout is not None
        first = server.stdout.readline()
        url = f"http://127.0.0.1:{port}"
        assert first.strip() == f"leap is serving {db} at {url}"
        page, pong, screen, closed = asyncio.run(
            browse(url, stop=lambda: server.send_signal(signal.SIGINT))  # Ctrl+C
        )
        assert f"ws://127.0.0.1:{port}/ws" in page
        assert pong, "the websocket did not answer a ping"
        assert "Findings 1–50 of 50" in screen
        assert closed, "the server did not close the open tab's websocket"
        output, _ = server.communicate(timeout=30)
    finally:
        if server.poll() is None:
            server.kill()
    assert server.returncode == 0
    assert "leap serve stopped." in output and "Traceback" not in output
    deadline = time.monotonic() + 10
    while processes_using(db) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert processes_using(db) == [], "an app session outlived the server"


def test_serve_says_when_the_port_is_taken(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        server = start_serve(tmp_path / "leap.db", port)
        output, _ = server.communicate(timeout=60)
    assert server.returncode == 2
    assert f"leap: could not listen on http://127.0.0.1:{port}" in output
    assert "Traceback" not in output


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.20", "leap.example.org"])
def test_a_reachable_address_is_refused_without_the_flag(
    host: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "leap.db"
    assert main(["serve", "--db", str(db), "--host", host]) == 2
    err = capsys.readouterr().err
    assert f"--host {host}" in err and "personal data" in err and "--i-know-this-is-exposed" in err
    assert not db.exists()


def test_the_flag_lets_a_reachable_address_through(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # With the flag the address check passes; here it then stops at the missing package.
    monkeypatch.setitem(sys.modules, "textual_serve.server", None)
    args = ["serve", "--db", str(tmp_path / "leap.db"), "--host", "0.0.0.0"]
    assert main([*args, "--i-know-this-is-exposed"]) == 2
    assert "pip install 'leap[serve]'" in capsys.readouterr().err


def test_without_textual_serve_it_says_how_to_install_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "textual_serve.server", None)
    assert main(["serve", "--db", str(tmp_path / "leap.db")]) == 2
    err = capsys.readouterr().err
    assert err == (
        "leap: leap serve needs the textual-serve package; install it with: "
        "pip install 'leap[serve]'\n"
    )


@pytest.mark.parametrize("port", ["0", "70000"])
def test_a_bad_port_is_refused(port: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", "--port", port]) == 2
    assert f"--port {port} is not a port" in capsys.readouterr().err


def test_local_addresses_and_urls() -> None:
    assert all(map(is_local, ["127.0.0.1", "localhost", "::1", "[::1]", "127.0.0.2"]))
    assert not any(map(is_local, ["0.0.0.0", "::", "10.0.0.5", "example.org", ""]))
    assert url_for("::1", 8000) == "http://[::1]:8000"
    assert url_for("localhost", 8080) == "http://localhost:8080"
    # Listening on every interface: the page must point browsers at this machine by name.
    assert url_for("0.0.0.0", 8000) == f"http://{socket.gethostname()}:8000"
