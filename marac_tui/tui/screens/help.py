"""Help: the keys of the screen you came from, the keys that work everywhere, and the practice rules."""

from __future__ import annotations

from typing import Any

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

EVERYWHERE = (
    ("ctrl+p", "Command palette: every action of this screen, by name"),
    ("? or f1", "This help (f1 while typing in a field)"),
    ("tab / shift+tab", "Move between fields and panels"),
    ("escape", "Back, or close a dialog"),
    ("drag, ctrl+c", "Select text with the mouse (the conversation too), then copy it"),
    ("ctrl+q", "Quit (every answer is already saved)"),
)

PRACTICE = (
    "Research is internal. At the meeting, share what is relevant and proportionate to keeping the "
    "victim safe: when something should stay back, mark it withheld and write down why. Keep what a "
    "record says (fact) apart from what you or a colleague judge (professional opinion), and note where "
    "each answer came from and the date you checked it. 'Nothing held' means you looked and found "
    "nothing; 'not checked' means you have not looked yet, and the Chair needs to know the difference. "
    "Never contact the victim as part of this research: use agency records only."
)


PLAIN_MODE = (
    "Quit, then run: marac-tui plain. It asks the same questions, on the same store, as plain lines "
    "that are written once and never redrawn. The README's accessibility statement says more."
)


def screen_keys(app: App, screen: Screen) -> list[tuple[str, str]]:
    """(key, what it does) for the bindings of `screen` and the app, as the footer would show them."""
    generic = {b.action for b in (*_bindings(Screen), *_bindings(App))}
    rows: dict[str, str] = {}
    for key, active in screen.active_bindings.items():
        binding: Binding = active.binding
        from_widget = not isinstance(active.node, (Screen, App))
        if not binding.description or binding.action in generic or (from_widget and not binding.show):
            continue
        rows.setdefault(app.get_key_display(binding) or key, binding.description)
    return list(rows.items())


def _bindings(cls: type[DOMNode]) -> list[Binding]:
    return list(Binding.make_bindings(cls.BINDINGS))


def _table(rows: list[tuple[str, str]] | tuple[tuple[str, str], ...]) -> Content:
    width = max((len(key) for key, _ in rows), default=0) + 2
    parts: list[str | tuple[str, str]] = []
    for key, what in rows:
        parts += [(key.ljust(width), "bold $accent"), what, "\n"]
    return Content.assemble(*parts[:-1])


def agency_rules(flow: Any) -> Content | None:
    """The open flow's own sharing rules (its `practice:` file), headed by their title; None without."""
    from marac_tui.flow.loader import practice_text

    text = practice_text(flow) if flow is not None else None
    if not text:
        return None
    lines = text.splitlines()
    title = lines[0].lstrip("# ").strip() if lines[0].startswith("#") else f"{flow.agency or flow.title}: sharing"
    body = "\n".join(lines[1:] if lines[0].startswith("#") else lines).strip()
    return Content.assemble((title, "bold underline"), "\n", body)


class HelpScreen(ModalScreen[None]):
    """Keys and practice rules; escape, q, ? or F1 closes."""

    BINDINGS = [
        Binding("escape", "close", "Close help"),
        Binding("q", "close", "Close help", show=False),
        Binding("question_mark,f1", "close", "Close help", show=False),
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog", id="help-body"):
            yield Static(Content("Help"), classes="dialog-title")
            yield Static(Content.styled("On the screen you came from", "bold underline"))
            yield Static(id="help-screen-keys")
            yield Static(Content.styled("Everywhere", "bold underline"))
            yield Static(_table(EVERYWHERE))
            yield Static(Content.styled("Practice rules this tool follows", "bold underline"))
            yield Static(Content(PRACTICE), id="help-practice")
            yield Static(id="help-agency")
            yield Static(Content.styled("Screen reader or braille display?", "bold underline"))
            yield Static(Content(PLAIN_MODE), id="help-plain")

    def on_mount(self) -> None:
        stack = self.app.screen_stack
        below = stack[-2] if len(stack) > 1 and stack[-1] is self else None
        keys = screen_keys(self.app, below) if below is not None else []
        shown = _table(keys) if keys else Content.styled("No keys of its own.", "$text-muted")
        self.query_one("#help-screen-keys", Static).update(shown)
        agency = self.query_one("#help-agency", Static)
        rules = agency_rules(getattr(getattr(below, "interview", None), "flow", None))
        if rules is None:
            agency.remove()
        else:
            agency.update(rules)
        self.query_one("#help-body").focus()

    def action_close(self) -> None:
        self.dismiss(None)
