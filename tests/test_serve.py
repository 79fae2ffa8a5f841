"""`marac-tui serve`: a real listener on 127.0.0.1 answers; other hosts get a warning first."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from marac_tui.cli import main
from marac_tui.cli import serve as serve_module


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str, deadline: float) -> str:
    last: Exception | None = None
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return response.read().decode("utf-8", "replace")
        except OSError as exc:
            last = exc
            time.sleep(0.2)
    raise AssertionError(f"{url} did not answer: {last}")


def test_serve_answers_on_loopback(data_dir: Path) -> None:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "marac_tui", "serve", "--port", str(port), "--data-dir", str(data_dir)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        page = fetch(f"http://127.0.0.1:{port}/", time.monotonic() + 30)
        assert "marac-tui" in page
        assert f"ws://127.0.0.1:{port}/ws" in page  # the landing page connects back to the same listener
    finally:
        process.terminate()
        _, err = process.communicate(timeout=15)
    text = err.decode()
    assert f"serving on http://127.0.0.1:{port}" in text
    assert "warning" not in text


def test_serve_defaults_to_loopback(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    started = _fake_server(monkeypatch)
    assert main(["serve"]) == 0
    assert started == [("127.0.0.1", 8000)]
    assert "warning" not in capsys.readouterr().err


def test_serve_warns_when_told_to_bind_elsewhere(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    started = _fake_server(monkeypatch)  # nothing listens: the warning is what is under test
    assert main(["serve", "--host", "0.0.0.0", "--port", "8123"]) == 0
    err = capsys.readouterr().err
    assert started == [("0.0.0.0", 8123)]
    assert err.startswith("marac-tui: warning: serving on 0.0.0.0:8123, not 127.0.0.1")
    assert "no login" in err and str(data_dir.resolve()) in err


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "::1", "127.0.0.2"])
def test_loopback_hosts_need_no_warning(host: str) -> None:
    assert serve_module.exposure_warning(host, 8000, "/tmp/x") is None


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.20", "example.invalid"])
def test_other_hosts_are_warned_about(host: str) -> None:
    assert "no login" in serve_module.exposure_warning(host, 8000, "/tmp/x")


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


def _fake_server(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, int]]:
    started: list[tuple[str, int]] = []

    class NoListener:
        def __init__(self, command: str, host: str, port: int, title: str) -> None:
            self.host, self.port = host, port

        def serve(self) -> None:
            started.append((self.host, self.port))

    monkeypatch.setattr("textual_serve.server.Server", NoListener)
    return started


def test_a_data_dir_with_spaces_and_quotes_stays_one_argument(tmp_path: Path) -> None:
    import shlex

    odd = tmp_path / "Case files; rm -rf ~ 'x'"
    assert shlex.split(serve_module.app_command(odd))[-2:] == ["--data-dir", str(odd)]
