"""What the store says at start-up (folders or files others can read, a damaged list index), shown in
the app as notices: the command line's warnings go to stderr, which the app's screen hides until it
closes."""

from __future__ import annotations

from typing import Any


def startup_notices(store: Any) -> list[str]:
    """One line per problem, each saying what to do; [] for a healthy store. Never raises: a check
    that cannot run is itself reported."""
    from marac_tui.store.errors import CorruptFile

    notices: list[str] = []
    try:
        notices += [f"{warning}. Fix it with: marac-tui doctor --repair" for warning in store.permission_warnings()]
    except OSError as exc:
        notices.append(f"Could not check the store's permissions: {exc.strerror or exc}")
    try:
        store.index.rows()
    except CorruptFile as exc:
        notices.append(f"{exc}. The list is read from the files meanwhile; run: marac-tui doctor --repair")
    except OSError as exc:
        notices.append(f"Could not read the list index: {exc.strerror or exc}. Run: marac-tui doctor")
    return notices
