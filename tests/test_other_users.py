"""Another account on the same machine, as an attacker would use it: a real second user (useradd + su;
root would bypass file modes, so tests run as root create one) tries to read the store and to use a
running `serve` on the shared loopback. Skipped unless the tests run as root."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from marac_tui.store import Store
from marac_tui.submission import Answer, CaseHeader, FlowRef, Submission
from tests.test_serve import start_serve, stop

OTHER = "marac-tui-probe"
PYTHON = "/usr/bin/python3"  # the system Python: the other user cannot reach root's pyenv or the venv's packages

pytestmark = pytest.mark.skipif(
    os.geteuid() != 0 or not shutil.which("useradd") or not shutil.which("su") or not Path(PYTHON).exists(),
    reason="needs root (to create a second user with useradd and run as it with su) and /usr/bin/python3",
)


@pytest.fixture(scope="module")
def other_user() -> str:
    made = subprocess.run(["useradd", "--system", "--no-create-home", "--shell", "/bin/sh", OTHER],
                          capture_output=True, text=True)  # fmt: skip
    assert made.returncode in (0, 9), made.stderr  # 9: it exists already (another worker made it)
    return OTHER


def as_other(user: str, script: str, *args: str) -> subprocess.CompletedProcess[str]:
    """Run a Python script as the other user, with nothing of ours in its environment."""
    command = " ".join([PYTHON, "-c", _quote(script), *map(_quote, args)])
    return subprocess.run(["su", "-s", "/bin/sh", user, "-c", command], capture_output=True, text=True,
                          timeout=60, env={"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"}, cwd="/")  # fmt: skip


def _quote(text: str) -> str:
    import shlex

    return shlex.quote(text)


@pytest.fixture
def shared_parent() -> Iterator[Path]:
    """A folder every account can pass through (as a home or /srv would be), outside root's tmp."""
    parent = Path(tempfile.mkdtemp(prefix="marac-tui-users-", dir="/tmp"))
    parent.chmod(0o755)
    yield parent
    shutil.rmtree(parent, ignore_errors=True)


def make_store(root: Path, passphrase: str | None = None) -> Submission:
    store = Store.init(root, passphrase)
    submission = Submission(flow=FlowRef(name="police", version="1.0"),
                            header=CaseHeader(case_ref="MC-2026-0888", representative="DC Tova Elling"))  # fmt: skip
    submission.perpetrators[0].answers["full_name"] = Answer(value="Garrick Stowell")
    store.save(submission)
    return submission


READ_EVERYTHING = r"""
import os, sys
root = sys.argv[1]
refused, read = [], []
for path in [root] + [os.path.join(root, n) for n in ("submissions", "audit", "backups", "index.log", "index.db", "store.json")]:
    try:
        if os.path.isdir(path):
            os.listdir(path)
        else:
            open(path, "rb").read()
        read.append(path)
    except PermissionError:
        refused.append(path)
    except FileNotFoundError:
        pass
print("read", len(read), "refused", len(refused))
"""


def test_another_user_cannot_read_the_store(other_user: str, shared_parent: Path) -> None:
    root = shared_parent / "store"
    make_store(root)
    done = as_other(other_user, READ_EVERYTHING, str(root))
    assert done.returncode == 0, done.stderr
    assert done.stdout.split()[:2] == ["read", "0"], done.stdout
    # The test can fail: the same user reads everything once the modes are loosened.
    for path in [root, *root.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    loosened = as_other(other_user, READ_EVERYTHING, str(root))
    assert loosened.stdout.split()[:2] != ["read", "0"], loosened.stdout


USE_THE_SERVER = r"""
import socket, sys, urllib.request, urllib.error
port, pid = int(sys.argv[1]), sys.argv[2]
results = {}
try:
    urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10)
    results["page"] = 200
except urllib.error.HTTPError as exc:
    results["page"] = exc.code
with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
    sock.sendall((f"GET /ws HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nOrigin: http://127.0.0.1:{port}\r\n"
                  "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                  "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n").encode())
    results["websocket"] = int(sock.recv(200).split()[1])
try:
    open(f"/proc/{pid}/environ", "rb").read()
    results["environ"] = "read"
except PermissionError:
    results["environ"] = "refused"
results["key_in_cmdline"] = b"token" in open(f"/proc/{pid}/cmdline", "rb").read()
print(results)
"""


def test_another_user_on_loopback_cannot_use_a_running_serve(other_user: str, shared_parent: Path, tmp_path: Path) -> None:
    root = shared_parent / "store"
    make_store(root)
    served = start_serve(root, tmp_path, env={**os.environ, "MARAC_TUI_PASSPHRASE": "not-needed-here"})
    try:
        done = as_other(other_user, USE_THE_SERVER, str(served.port), str(served.process.pid))
    finally:
        stop(served)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "{'page': 403, 'websocket': 403, 'environ': 'refused', 'key_in_cmdline': False}"
