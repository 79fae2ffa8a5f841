"""`marac-tui serve` as a web page, another site and another local program meet it: a real listener on
127.0.0.1 that needs its per-launch key, refuses foreign origins and hosts, serves only its own files,
and starts each browser session without the passphrase."""

from __future__ import annotations

import asyncio
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from http.cookiejar import CookieJar
from pathlib import Path

import pytest

from marac_tui.cli import main
from marac_tui.cli import serve as serve_module
from marac_tui.store import Store

PASS = "saltmarsh-kite-61"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Served:
    process: subprocess.Popen[bytes]
    port: int
    token: str
    stderr_path: Path

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def url(self) -> str:
        return f"{self.origin}/?token={self.token}"


def start_serve(data_dir: Path, tmp_path: Path, env: dict[str, str] | None = None) -> Served:
    port = free_port()
    err = tmp_path / f"serve-{port}.err"
    process = subprocess.Popen(
        [sys.executable, "-m", "marac_tui", "serve", "--port", str(port), "--data-dir", str(data_dir)],
        stdout=subprocess.DEVNULL, stderr=open(err, "wb"), env=env or dict(os.environ),
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while True:
        found = re.search(rb"open http://127\.0\.0\.1:\d+/\?token=([A-Za-z0-9_-]+)", err.read_bytes())
        if found:
            break
        assert process.poll() is None, err.read_text()
        assert time.monotonic() < deadline, "serve printed no address"
        time.sleep(0.1)
    served = Served(process, port, found.group(1).decode(), err)
    wait_listening(port, deadline)
    return served


def wait_listening(port: int, deadline: float) -> None:
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            assert time.monotonic() < deadline, f"nothing listens on {port}"
            time.sleep(0.1)


def stop(served: Served) -> str:
    served.process.terminate()
    served.process.wait(timeout=20)
    return served.stderr_path.read_text()


@pytest.fixture
def served(data_dir: Path, tmp_path: Path) -> Iterator[Served]:
    Store.init(data_dir)
    running = start_serve(data_dir, tmp_path)
    yield running
    stop(running)


def get(url: str, cookies: CookieJar | None = None, headers: dict[str, str] | None = None) -> tuple[int, str, dict]:
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):  # noqa: ANN002, ANN003, ANN202
            return None

    opener = urllib.request.build_opener(NoRedirect, urllib.request.HTTPCookieProcessor(CookieJar() if cookies is None else cookies))
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with opener.open(request, timeout=20) as response:
            return response.status, response.read().decode("utf-8", "replace"), dict(response.headers)
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8", "replace"), dict(exc.headers)


def keyed(served: Served) -> CookieJar:
    """A cookie jar holding the key, as the browser has after opening the printed address."""
    jar = CookieJar()
    status, _, headers = get(served.url, jar)
    assert status == 303
    return jar


def test_the_address_with_its_key_is_printed_once_on_stderr(data_dir: Path, tmp_path: Path) -> None:
    Store.init(data_dir)
    first = start_serve(data_dir, tmp_path)
    second = start_serve(data_dir, tmp_path)
    try:
        assert first.token != second.token and len(first.token) >= 40  # 32 random bytes, per launch
    finally:
        err = stop(first)
        stop(second)
    assert err.count(first.token) == 1 and err.startswith(f"marac-tui: serving on {first.origin} - open {first.url}")
    assert "Traceback" not in err and "warning" not in err


def test_every_request_without_the_key_is_refused(served: Served) -> None:
    for path in ("/", "/static/js/textual.js", "/static/fonts/RobotoMono-VariableFont_wght.ttf", "/ws", "/download/x"):
        status, body, _ = get(served.origin + path)
        assert status == 403, path
        assert "<html" not in body and "textual" not in body.lower()
    assert get(f"{served.origin}/?token=not-the-key")[0] == 403
    jar = CookieJar()
    jar.set_cookie(_cookie("marac_tui_key", "not-the-key"))
    assert get(served.origin + "/", jar)[0] == 403


def _cookie(name: str, value: str):  # noqa: ANN202
    from http.cookiejar import Cookie

    return Cookie(0, name, value, None, False, "127.0.0.1", False, False, "/", True, False, None, False, None, None, {})


def test_the_key_sets_a_strict_httponly_cookie_and_leaves_the_address_bar(served: Served) -> None:
    status, _, headers = get(served.url)
    assert status == 303 and headers["Location"] == "/"
    cookie = headers["Set-Cookie"]
    assert cookie.startswith(f"marac_tui_key={served.token};")
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/" in cookie
    assert "Max-Age" not in cookie and "expires" not in cookie.lower()  # gone when the browser closes
    assert headers["Referrer-Policy"] == "no-referrer" and headers["Cache-Control"] == "no-store"


def test_the_page_is_ours_and_asks_nothing_of_another_site(served: Served) -> None:
    jar = keyed(served)
    status, page, headers = get(served.origin + "/", jar)
    assert status == 200 and headers["X-Frame-Options"] == "DENY"
    assert "<title>marac-tui</title>" in page
    assert 'rel="icon"' in page and "data:image/svg+xml" in page  # a favicon, so no 404 for one
    assert "fonts/RobotoMono-VariableFont_wght.ttf" in page  # textual-serve's own copy of the font
    external = [u for u in re.findall(r"""(?:https?|wss?)://[^\s"')]+""", page)
                if not u.startswith((served.origin, f"ws://127.0.0.1:{served.port}/", "http://www.w3.org/2000/svg"))]  # fmt: skip
    assert external == []  # no Google Fonts, no other host
    assert f'data-session-websocket-url="ws://127.0.0.1:{served.port}/ws"' in page
    for path in re.findall(r'(?:href|src)="(/static/[^"]+|http://127\.0\.0\.1:\d+/static/[^"]+)"', page) + [
        "/static/fonts/RobotoMono-VariableFont_wght.ttf"
    ]:
        assert get(path if path.startswith("http") else served.origin + path, jar)[0] == 200, (path, jar)


def test_another_host_name_is_refused_even_with_the_key(served: Served) -> None:
    jar = keyed(served)
    for host in ("evil.example", f"evil.example:{served.port}", f"localhost:{served.port}"):
        assert get(served.origin + "/", jar, {"Host": host})[0] == 403, host  # DNS rebinding


async def _websocket(served: Served, headers: dict[str, str], key: bool = True, wait: float = 0) -> tuple[int, bytes]:
    import aiohttp

    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as session:
        if key:
            session.cookie_jar.update_cookies({"marac_tui_key": served.token})
        try:
            async with session.ws_connect(f"ws://127.0.0.1:{served.port}/ws?width=100&height=30", headers=headers) as ws:
                received = b""
                deadline = time.monotonic() + wait
                while time.monotonic() < deadline:
                    try:
                        message = await asyncio.wait_for(ws.receive(), max(0.1, deadline - time.monotonic()))
                    except asyncio.TimeoutError:
                        break
                    if message.type not in (aiohttp.WSMsgType.BINARY, aiohttp.WSMsgType.TEXT):
                        break
                    received += message.data if isinstance(message.data, bytes) else message.data.encode()
                return 101, received
        except aiohttp.WSServerHandshakeError as exc:
            return exc.status, b""


def test_a_websocket_needs_the_key_and_our_origin(served: Served) -> None:
    ours = {"Origin": served.origin}
    assert asyncio.run(_websocket(served, ours, key=False))[0] == 403  # no key
    assert asyncio.run(_websocket(served, {"Origin": "https://evil.example"}))[0] == 403  # another site's page
    assert asyncio.run(_websocket(served, {"Origin": f"http://localhost:{served.port}"}))[0] == 403
    assert asyncio.run(_websocket(served, {}))[0] == 403  # no origin at all
    assert asyncio.run(_websocket(served, {**ours, "Host": "evil.example"}))[0] == 403
    status, screen = asyncio.run(_websocket(served, ours, wait=8))
    assert status == 101 and len(screen) > 1000  # the app draws its home screen


def _session_environments(server_pid: int) -> list[dict[str, str]]:
    """The environments of every process under the server (the browser sessions)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                ppid = int(Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry))
    todo, found = list(children.get(server_pid, [])), []
    while todo:
        pid = todo.pop()
        todo += children.get(pid, [])
        try:
            raw = Path(f"/proc/{pid}/environ").read_bytes()
        except OSError:
            continue
        found.append(dict(part.split("=", 1) for part in raw.decode("utf-8", "replace").split("\0") if "=" in part))
    return found


def test_a_browser_session_starts_without_the_passphrase(data_dir: Path, tmp_path: Path) -> None:
    Store.init(data_dir, PASS)
    served = start_serve(data_dir, tmp_path, env={**os.environ, "MARAC_TUI_PASSPHRASE": PASS})
    try:
        async def look() -> tuple[int, bytes, list[dict[str, str]]]:
            task = asyncio.create_task(_websocket(served, {"Origin": served.origin}, wait=10))
            await asyncio.sleep(5)
            environments = _session_environments(served.process.pid)
            status, screen = await task
            return status, screen, environments

        status, screen, environments = asyncio.run(look())
    finally:
        stop(served)
    assert status == 101
    assert any("TEXTUAL_DRIVER" in e for e in environments)  # the sessions were seen
    assert all("MARAC_TUI_PASSPHRASE" not in e for e in environments)
    assert b"assphrase" in re.sub(rb"\x1b\[[0-9;?]*[A-Za-z]", b"", screen)  # the app asks for it


def test_serve_defaults_to_loopback(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    started = _fake_server(monkeypatch)
    assert main(["serve"]) == 0
    assert started == [("127.0.0.1", 8000, "http://127.0.0.1:8000")]
    assert "warning" not in capsys.readouterr().err


def test_serve_warns_when_told_to_bind_elsewhere(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    started = _fake_server(monkeypatch)  # nothing listens: the warning is what is under test
    assert main(["serve", "--host", "0.0.0.0", "--port", "8123", "--public-url", "http://case-pc:8123"]) == 0
    err = capsys.readouterr().err
    assert started == [("0.0.0.0", 8123, "http://case-pc:8123")]
    assert err.startswith("marac-tui: warning: serving on 0.0.0.0:8123, not 127.0.0.1")
    assert "plain HTTP" in err and str(data_dir.resolve()) in err
    assert "open http://case-pc:8123/?token=" in err


def test_a_wildcard_address_needs_the_public_url(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    started = _fake_server(monkeypatch)
    assert main(["serve", "--host", "0.0.0.0"]) == 2
    err = capsys.readouterr().err
    assert started == [] and err.count("\n") == 1 and "give --public-url" in err


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "::1", "127.0.0.2"])
def test_loopback_hosts_need_no_warning(host: str) -> None:
    assert serve_module.exposure_warning(host, 8000, "/tmp/x") is None


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.20", "example.invalid"])
def test_other_hosts_are_warned_about(host: str) -> None:
    assert "plain HTTP" in serve_module.exposure_warning(host, 8000, "/tmp/x")


@pytest.mark.parametrize(
    ("host", "port", "public", "origin"),
    [("127.0.0.1", 8000, None, "http://127.0.0.1:8000"), ("::1", 8000, None, "http://[::1]:8000"),
     ("0.0.0.0", 80, "http://case-pc", "http://case-pc"), ("0.0.0.0", 443, "https://case-pc:443/", "https://case-pc")],
)  # fmt: skip
def test_the_serving_origin_is_written_as_a_browser_sends_it(host: str, port: int, public: str | None, origin: str) -> None:
    assert serve_module.serving_origin(host, port, public) == origin


def test_bad_port_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["serve", "--port", "70000"])
    assert exit_info.value.code == 2
    assert "port 70000 is out of range" in capsys.readouterr().err


def test_port_in_use_is_one_line_error(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["serve", "--port", str(port)]) == 2
    err = capsys.readouterr().err
    assert f"marac-tui: error: cannot listen on 127.0.0.1:{port}" in err
    assert "Traceback" not in err


def test_each_session_runs_this_python_on_the_same_store(data_dir: Path) -> None:
    command = serve_module.app_command(data_dir)
    assert command.startswith(sys.executable)
    assert command.endswith(f"-m marac_tui --data-dir {data_dir}")


def _fake_server(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, int, str]]:
    started: list[tuple[str, int, str]] = []

    class NoListener:
        def __init__(self, command: str, host: str, port: int, public_url: str, **kwargs: object) -> None:
            self.host, self.port, self.public_url = host, port, public_url

        def serve(self) -> None:
            started.append((self.host, self.port, self.public_url))

    monkeypatch.setattr("textual_serve.server.Server", NoListener)
    return started


def test_a_data_dir_with_spaces_and_quotes_stays_one_argument(tmp_path: Path) -> None:
    import shlex

    odd = tmp_path / "Case files; rm -rf ~ 'x'"
    assert shlex.split(serve_module.app_command(odd))[-2:] == ["--data-dir", str(odd)]
