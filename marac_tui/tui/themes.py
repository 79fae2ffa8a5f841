"""Themes: a high-contrast theme alongside Textual's own, and the chosen theme remembered.

The choice lives in `settings.json` in the data dir (0600), written in a worker when it changes.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from textual.app import App
from textual.theme import Theme

SETTINGS_FILE = "settings.json"
HIGH_CONTRAST_NAME = "marac-high-contrast"
DEFAULT_THEME = "textual-dark"

HIGH_CONTRAST = Theme(
    name=HIGH_CONTRAST_NAME,
    primary="#FFFF00",
    secondary="#00FFFF",
    accent="#00FFFF",
    warning="#FFB000",
    error="#FF4040",
    success="#00FF00",
    foreground="#FFFFFF",
    background="#000000",
    surface="#000000",
    panel="#202020",
    boost="#000000",
    dark=True,
    luminosity_spread=0.0,
    text_alpha=1.0,
    variables={
        "text-muted": "#FFFFFF",
        "border": "#FFFFFF",
        "border-blurred": "#C0C0C0",
        "block-cursor-foreground": "#FFFFFF",
        "block-cursor-background": "#0030A0",
        "block-cursor-text-style": "bold",
        "block-cursor-blurred-foreground": "#FFFFFF",
        "block-cursor-blurred-background": "#303030",
        "input-cursor-background": "#FFFF00",
        "input-cursor-foreground": "#000000",
        "input-selection-background": "#00FFFF 60%",
        "footer-key-foreground": "#FFFF00",
        "footer-description-foreground": "#FFFFFF",
        "footer-background": "#000000",
        "scrollbar": "#C0C0C0",
        "scrollbar-hover": "#FFFFFF",
        "scrollbar-active": "#FFFF00",
    },
)


def settings_path(app: App) -> Path:
    """`settings.json` in the app's data dir (its `root`, else its store's, else the default)."""
    root = getattr(app, "root", None) or getattr(getattr(app, "store", None), "root", None)
    if root is None:
        from marac_tui.paths import data_dir

        root = data_dir()
    return Path(root) / SETTINGS_FILE


def read_settings(path: Path) -> dict[str, Any]:
    """The saved settings; an unreadable or odd file counts as none (it only holds the theme)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def write_settings(path: Path, settings: dict[str, Any]) -> None:
    """Write the settings privately (folder 0700, file 0600, atomic)."""
    from marac_tui.store.files import atomic_write, make_private_dirs

    make_private_dirs(path.parent)
    atomic_write(path, json.dumps(settings, indent=2).encode("utf-8"))


def apply_saved_theme(app: App) -> None:
    """Add the high-contrast theme and put the remembered theme on. Called before the app runs, so
    the stylesheet is built once, in the right colours."""
    app.register_theme(HIGH_CONTRAST)
    saved = read_settings(settings_path(app)).get("theme")
    if isinstance(saved, str) and saved in app.available_themes:
        app.theme = saved


def remember_theme_changes(app: App) -> None:
    """Save the theme whenever the user changes it."""
    path = settings_path(app)
    remembered = {"theme": app.theme}

    def remember(theme: Theme) -> None:
        if theme.name == remembered["theme"]:
            return
        remembered["theme"] = theme.name
        settings = {**read_settings(path), "theme": theme.name}
        app.run_worker(lambda: _write_quietly(path, settings), thread=True, group="settings", exclusive=True)

    app.theme_changed_signal.subscribe(app, remember)


def _write_quietly(path: Path, settings: dict[str, Any]) -> None:
    try:
        write_settings(path, settings)
    except OSError:
        pass  # a theme that is not remembered is not worth interrupting anyone for


def toggle_high_contrast(app: App) -> None:
    """Switch to the high-contrast theme, or back to the default theme."""
    app.theme = DEFAULT_THEME if app.theme == HIGH_CONTRAST_NAME else HIGH_CONTRAST_NAME

