"""What every command handler gets: the chosen data directory and a lazily opened store.

An encrypted store's passphrase comes from $MARAC_TUI_PASSPHRASE (scripts) or is asked for on a
terminal; it is never echoed, logged or written anywhere.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from marac_tui.cli.output import error_line, safe_json, say
from marac_tui.errors import UserError
from marac_tui.paths import data_dir

if TYPE_CHECKING:
    import argparse

PASSPHRASE_ENV = "MARAC_TUI_PASSPHRASE"
MIN_PASSPHRASE = 8


def ask_passphrase(root: Path) -> str:
    """The passphrase of an existing encrypted store: from the environment, else asked on a terminal."""
    given = os.environ.get(PASSPHRASE_ENV)
    if given:
        return given
    if not sys.stdin.isatty():
        raise UserError(f"the store at {root} is encrypted: set {PASSPHRASE_ENV} or run on a terminal to be asked")
    from getpass import getpass

    return getpass(f"Passphrase for {root}: ")


def new_passphrase() -> str:
    """A passphrase for a new encrypted store: from the environment, else asked twice on a terminal."""
    given = os.environ.get(PASSPHRASE_ENV)
    if not given:
        if not sys.stdin.isatty():
            raise UserError(f"no passphrase: set {PASSPHRASE_ENV} or run on a terminal to be asked")
        from getpass import getpass

        given = getpass("New passphrase: ")
        if getpass("Repeat the passphrase: ") != given:
            raise UserError("the two passphrases differ; nothing was changed")
    if len(given) < MIN_PASSPHRASE:
        raise UserError(f"the passphrase is too short: use at least {MIN_PASSPHRASE} characters")
    return given


@dataclass
class Context:
    data_dir: str | None = None
    out: Any = None
    warn_permissions: bool = True

    @cached_property
    def root(self) -> Path:
        return data_dir(self.data_dir)

    @cached_property
    def store(self):  # noqa: ANN201 - imported lazily to keep start-up light
        from marac_tui.store import Store

        passphrase = ask_passphrase(self.root) if Store.needs_passphrase(self.root) else None
        store = Store(self.root, passphrase=passphrase)
        for warning in store.permission_warnings() if self.warn_permissions else []:
            error_line(warning, prefix="warning")
        return store

    def print(self, *parts: Any) -> None:
        """Print lines for the user; control characters in them are shown escaped (see output.py)."""
        say(self.out or sys.stdout, *parts)

    def print_json(self, data: Any) -> None:
        print(safe_json(json.dumps(data, indent=2, ensure_ascii=False, default=str)), file=self.out or sys.stdout)


def add_id_argument(parser: argparse.ArgumentParser) -> None:
    """The submission id every per-submission command takes (a unique prefix is enough)."""
    parser.add_argument("id", help="submission id (or a unique prefix of it)")
