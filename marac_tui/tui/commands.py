"""The command palette (ctrl+p): every action of the current screen and of the app, by a readable name.

A screen action is offered only when the active screen has it (`action_<name>`), so the palette
never lists something that would do nothing. Names and help are shown as plain text: perpetrator
names in "Jump to" entries are user text and are never read as markup.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import Any

from textual.command import CommandPalette, DiscoveryHit, Hit, Hits, Matcher, Provider
from textual.content import Content
from textual.markup import escape

# (action name, palette name, help). Order is the order shown before typing.
SCREEN_ACTIONS = (
    ("new_submission", "New submission", "Start researching a new case"),
    ("resume", "Resume", "Carry on with the selected submission"),
    ("delete", "Delete", "Delete the selected submission (asks first)"),
    ("training", "Training", "Practise on a fictional scenario"),
    ("focus_filter", "Filter submissions", "Type to narrow the list of submissions"),
    ("meeting_pack", "Meeting pack", "Every agency's shared research on one case, for the Chair"),
    ("same_person", "Same person in other cases", "Other cases that may hold this person; carry research forward"),
    ("confirm_match", "Confirm match", "The highlighted match is one person"),
    ("split_match", "Split match", "The highlighted match is two people"),
    ("export_pack", "Export pack…", "Write the meeting pack as Word, Markdown or JSON"),
    ("back", "Go back one question", "Return to the previous question"),
    ("skip", "Skip (not checked)", "Move on; a research item is recorded as not checked"),
    ("rest_not_checked", "Rest not checked…",
     "Record the rest of this research area, or of this person's research, as not checked (asks first)"),
    ("provenance", "How you know the last answer…",
     "Change the status, source, date, fact/opinion or sharing of the last research answer"),
    ("toggle_guidance", "Toggle why-this-matters panel", "Show or hide the guidance for this item"),
    ("toggle_sidebar", "Toggle progress sidebar", "Show or hide the list of sections and items"),
    ("review", "Review answers", "Every answer with its gaps; edit, export or finalise"),
    ("edit", "Edit this answer", "Go to the highlighted answer in the interview to change it"),
    ("next_gap", "Next gap", "Move to the next answer with a gap"),
    ("summary", "Chair's summary", "What the Chair will hear: risks, actions, gaps"),
    ("export", "Export…", "Write a Word, Markdown, JSON or CSV file"),
    ("finalise", "Finalise submission", "Lock the submission against changes (asks first)"),
    ("home", "Back to home", "Leave this submission (it is saved) for the list of submissions"),
)
JUMP_NAME = "Jump to item…"


@dataclass(frozen=True)
class Command:
    """One palette entry: what it is called, what it does, and the callable that does it."""

    name: str
    help: str
    run: Callable[[], Any]


def plain_highlight(matcher: Matcher, text: str) -> Content:
    """Like Matcher.highlight, but `text` is plain text, not markup."""
    content = Content(text)
    _, offsets = matcher.fuzzy_search.match(matcher.query, text)
    for offset in offsets:
        if not text[offset].isspace():
            content = content.stylize(matcher.match_style, offset, offset + 1)
    return content


def matching(matcher: Matcher, commands: Iterable[Command]) -> Iterator[Hit]:
    """A palette hit for each command whose name fuzzily matches, highlighted as plain text."""
    for command in commands:
        score = matcher.match(command.name)
        if score > 0:
            highlighted = plain_highlight(matcher, command.name)
            yield Hit(score, highlighted, command.run, text=command.name, help=command.help)


def screen_commands(screen: Any) -> Iterator[Command]:
    """The actions the active screen supports; a screen may rename one in COMMAND_NAMES."""
    renamed = getattr(screen, "COMMAND_NAMES", {})
    for action, name, help_text in SCREEN_ACTIONS:
        method = getattr(screen, f"action_{action}", None)
        if callable(method):
            name, help_text = renamed.get(action, (name, help_text))
            yield Command(name, help_text, method)
    if callable(getattr(screen, "action_jump_to", None)) and getattr(screen, "interview", None) is not None:
        app = screen.app
        yield Command(JUMP_NAME, "Type part of an item's name to go straight to it", partial(open_jump_palette, app))


def app_commands(app: Any) -> Iterator[Command]:
    """Theme, help and quit: available on every screen."""
    from marac_tui.tui.themes import toggle_high_contrast

    yield Command("Switch theme", "Choose a colour theme", app.action_change_theme)
    yield Command("High-contrast theme", "Toggle the high-contrast theme on or off", partial(toggle_high_contrast, app))
    if callable(getattr(app, "action_help", None)):
        yield Command("Help", "Keys and practice rules", app.action_help)
    yield Command("Quit", "Leave marac-tui (answers are saved as you go)", app.action_quit)


def jump_commands(screen: Any) -> Iterator[Command]:
    """'Jump to: <section> › <item> (<perpetrator>)' for every item asked in the screen's interview."""
    from marac_tui.export.content import item_label, one_line

    interview = getattr(screen, "interview", None)
    jump = getattr(screen, "action_jump_to", None)
    if interview is None or not callable(jump):
        return
    flow = interview.flow
    sections = {section.id: section.title for section in flow.sections}
    for row in interview.progress():
        if row.state == "skipped":
            continue
        where = "" if row.perpetrator is None else f" ({one_line(interview.perpetrator_name(row.perpetrator), 60)})"
        section = one_line(sections.get(row.section, row.section), 60)
        name = f"Jump to: {section} › {item_label(flow, row.item)}{where}"
        yield Command(name, escape(row.state.replace("_", " ")), partial(jump, row.item, row.perpetrator))


def open_jump_palette(app: Any) -> None:
    """A palette listing only the items, for 'Jump to item…'."""
    app.push_screen(CommandPalette(providers=[JumpCommands], placeholder="Jump to item…"))


class _Commands(Provider):
    """Shared search: fuzzy match over `commands()`; discovery lists them in order."""

    def commands(self) -> list[Command]:
        raise NotImplementedError

    async def discover(self) -> Hits:
        for command in self.commands():
            yield DiscoveryHit(Content(command.name), command.run, text=command.name, help=command.help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for hit in matching(matcher, self.commands()):
            yield hit


class MaracCommands(_Commands):
    """Every action of the active screen, the app's own, and (when searching) every item to jump to."""

    def commands(self) -> list[Command]:
        builtin = {command.title for command in self.app.get_system_commands(self.screen)}
        return [*screen_commands(self.screen), *(c for c in app_commands(self.app) if c.name not in builtin)]

    async def search(self, query: str) -> Hits:
        async for hit in super().search(query):
            yield hit
        for hit in matching(self.matcher(query), jump_commands(self.screen)):
            yield hit


class JumpCommands(_Commands):
    """Only the items of the interview, for the 'Jump to item…' palette."""

    def commands(self) -> list[Command]:
        return list(jump_commands(self.screen))
