"""What the store says at start-up (folders or files others can read, a damaged list index), shown in
the app as notices: the command line's warnings go to stderr, which the app's screen hides until it
closes. The index is checked by the home screen's own reading of the list (`index_notice`), not read
a second time here."""

from __future__ import annotations

from typing import Any


def startup_notices(store: Any) -> list[str]:
    """One line per problem, each saying what to do; [] for a healthy store. Never raises: a check
    that cannot run is itself reported."""
    notices: list[str] = []
    try:
        notices += [f"{warning}. Fix it with: marac-tui doctor --repair" for warning in store.permission_warnings()]
    except OSError as exc:
        notices.append(f"Could not check the store's permissions: {exc.strerror or exc}")
    return notices


def index_notice(damage: Exception) -> str:
    """The notice for a list index `Store.list` could not read (it read the files instead)."""
    return f"{damage}. The list is read from the files meanwhile; run: marac-tui doctor --repair"
