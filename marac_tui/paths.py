"""Where things live: the shipped flows and prompts, and the user's data directory.

Nothing is created at import time; `data_dir()` only resolves a path.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

APP_NAME = "marac-tui"
DATA_DIR_ENV = "MARAC_TUI_DATA_DIR"
_PACKAGE = Path(__file__).resolve().parent


@cache
def resource_dir(name: str) -> Path:
    """The `flows` or `prompts` folder: inside the installed package, else the source checkout."""
    for candidate in (_PACKAGE / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"cannot find the {name}/ folder shipped with marac-tui")


def flows_dir() -> Path:
    return resource_dir("flows")


def prompts_dir() -> Path:
    return resource_dir("prompts")


def data_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """The store folder: `--data-dir`, else $MARAC_TUI_DATA_DIR, else the user data dir."""
    if override:
        return Path(override).expanduser()
    env = os.environ.get(DATA_DIR_ENV)
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False))
