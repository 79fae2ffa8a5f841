"""Home: every draft and finalised submission, filterable; resume, start, delete, train."""

from __future__ import annotations

import threading
from bisect import bisect_left
from datetime import datetime
from itertools import filterfalse
from typing import TYPE_CHECKING

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Header, Input, OptionList, Static
from textual.message import Message
from textual.widgets.option_list import Option

from marac_tui.tui.widgets.cursor import quiet_cursor
from marac_tui.tui.widgets.footer import SteadyFooter
from marac_tui.tui.widgets.literal import one_line
from marac_tui.tui.widgets.submissions import SubmissionTable

if TYPE_CHECKING:
    from marac_tui.flow.spec import Flow
    from marac_tui.store import Store, Summary

COLUMNS = ("Case ref", "Perpetrator(s)", "Flow", "Status", "Answers", "Last change")


CHOOSER_WIDTH = 80  # `.dialog` in screens.tcss: 80 columns, at most 95% of the window
def flow_choice(flow: Flow, width: int) -> Text:
    """One flow in the new-submission chooser, in two lines: the agency (and the flow's title where it
    says more), then its description, cut at a word to fit `width` so that six flows fit in 80×24."""
    label = Text(flow.agency or flow.title, style="bold")
    if flow.agency and flow.title.casefold() != flow.agency.casefold():
        label.append(f" · {flow.title}")
    label.append(f"  {flow.name} {flow.version}", style="dim")
    description = " ".join((flow.description or "").split())
    if len(description) > width:
        description = description[: width - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    if description:
        label.append(f"\n  {description}", style="italic")
    return label


class ChooseScreen(ModalScreen[str | None]):
    """Pick one of a few named things (a flow, a training scenario); Escape cancels."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(self, title: str, choices: list[tuple[str, Text]]) -> None:
        super().__init__(classes="chooser")
        self.heading = title
        self.choices = choices

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.heading, classes="dialog-title")
            yield OptionList(*[Option(label, id=key) for key, label in self.choices], id="choices")
            yield Static("↑↓ and Enter to choose · Esc to cancel", classes="keys")

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)


class ConfirmScreen(ModalScreen[bool]):
    """Yes/no confirmation; the safe answer (No) has the focus."""

    BINDINGS = [Binding("escape,n", "dismiss(False)", "No"), Binding("y", "dismiss(True)", "Yes")]

    def __init__(self, question: Text) -> None:
        super().__init__(classes="confirm")
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.question, classes="dialog-title")
            yield Button("Yes, delete (y)", id="yes", variant="error")
            yield Button("No, keep it (n)", id="no", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")


FLOW_CELL = 13  # "childrens so…", "mental health": the flow column stays narrow in 80 columns


def flow_label(name: str) -> str:
    """A flow's name as the table shows it: `childrens_social_care` → "childrens social care"."""
    return name.replace("_", " ")


def now() -> datetime:
    return datetime.now().astimezone()


def when_changed(iso: str, today: datetime) -> str:
    """When a submission last changed, short enough for an 80-column table: the time within this
    year, the year for anything older."""
    try:
        when = datetime.fromisoformat(iso).astimezone()
    except ValueError:
        return iso
    return when.strftime("%d %b %H:%M" if when.year == today.year else "%d %b %Y")


CASE_REF_LIMIT, NAMES_LIMIT, WHEN_WIDTH = 30, 40, 12  # "21 Nov 14:05"


def status_of(summary: Summary) -> str:
    return summary.state + (" · training" if summary.training else "")


def column_width(texts: list[str], limit: int) -> int:
    """The cells the widest `one_line(text, limit)` takes, without building them all: plain ASCII
    (the usual case) is as wide as it is long; only other text is measured as drawn."""
    if not texts:
        return 0
    odd = set(filterfalse(str.isascii, texts)) | set(filterfalse(str.isprintable, texts))
    widest = min(max(map(len, texts)), limit)
    return max(widest, *(one_line(text, limit).cell_len for text in odd)) if odd else widest


def column_widths(summaries: list[Summary]) -> list[int]:
    """Each home column's widest cell over `summaries` (about 5 ms for 10,000)."""
    if not summaries:
        return []
    return [
        column_width([s.case_ref or "(no case ref)" for s in summaries], CASE_REF_LIMIT),
        column_width([", ".join(s.perpetrators) for s in summaries], NAMES_LIMIT),
        min(max(len(flow_label(flow)) for flow in {s.flow for s in summaries}), FLOW_CELL),
        max(map(len, {s.state for s in summaries if not s.training} | {status_of(s) for s in summaries if s.training})),
        len(str(max(s.answered for s in summaries))),
        WHEN_WIDTH,
    ]


class Listing:
    """The store's list as the home screen keeps it: the summaries (newest first), the columns'
    widths over all of them (so columns keep still while filtering), each one's searchable text
    (built at the first filter, not at start-up), and the cells of the rows drawn so far."""

    CELLS_KEPT = 2048

    def __init__(self, summaries: list[Summary], today: datetime) -> None:
        self.summaries = summaries
        self.today = today
        self.widths = column_widths(summaries)
        self._texts: list[str] | None = None
        self._positions: dict[str, int] | None = None
        self._cells: dict[int, list[Text]] = {}

    def texts(self) -> list[str]:
        if self._texts is None:
            self._texts = [
                " ".join([s.case_ref, *s.perpetrators, s.flow, flow_label(s.flow), s.state, s.training or ""]).lower()
                for s in self.summaries
            ]
        return self._texts

    def position(self, key: str) -> int | None:
        if self._positions is None:
            self._positions = {s.id: n for n, s in enumerate(self.summaries)}
        return self._positions.get(key)

    def matching(self, words: list[str], within: list[int] | None = None) -> list[int]:
        """Positions (ascending) of the summaries containing every word, searching only `within` if given."""
        texts = self.texts()
        candidates = range(len(texts)) if within is None else within
        if len(words) == 1:
            word = words[0]
            return [n for n in candidates if word in texts[n]]
        return [n for n in candidates if all(word in texts[n] for word in words)]

    def cells(self, position: int) -> list[Text]:
        cells = self._cells.get(position)
        if cells is None:
            if len(self._cells) >= self.CELLS_KEPT:
                self._cells = {}
            s = self.summaries[position]
            cells = self._cells[position] = [
                one_line(s.case_ref or "(no case ref)", CASE_REF_LIMIT),
                one_line(", ".join(s.perpetrators), NAMES_LIMIT),
                one_line(flow_label(s.flow), FLOW_CELL),
                Text(status_of(s), style="bold" if s.state == "finalised" else ""),
                Text(str(s.answered), justify="right"),
                Text(when_changed(s.updated_at, self.today)),
            ]
        return cells


class SummaryRows:
    """The table's rows: the whole listing, or the positions in it a filter left (`found`)."""

    def __init__(self, listing: Listing, found: list[int] | None = None) -> None:
        self.listing = listing
        self.found = found

    def __len__(self) -> int:
        return len(self.listing.summaries) if self.found is None else len(self.found)

    def _position(self, index: int) -> int:
        return index if self.found is None else self.found[index]

    def key(self, index: int) -> str:
        return self.listing.summaries[self._position(index)].id

    def index(self, key: str) -> int | None:
        position = self.listing.position(key)
        if position is None or self.found is None:
            return position
        at = bisect_left(self.found, position)
        return at if at < len(self.found) and self.found[at] == position else None

    def cells(self, index: int) -> list[Text]:
        return self.listing.cells(self._position(index))

    def widths(self) -> list[int]:
        return self.listing.widths


class HomeScreen(Screen):
    """The submissions table; typing in the filter narrows it."""

    TITLE = "MARAC perpetrator research"
    SUB_TITLE = "submissions"
    AUTO_FOCUS = "#submissions"  # focused from the start: no focus hop from the filter box
    BINDINGS = [
        Binding("n", "new_submission", "New"),
        Binding("enter", "resume", "Resume", show=True),
        Binding("d", "delete", "Delete"),
        Binding("slash", "focus_filter", "Filter"),
        Binding("f5", "meeting_pack", "Meeting pack"),
        Binding("t", "training", "Training"),
    ]

    class Listed(Message):
        """The whole list is shown (each time the screen reads it)."""

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store
        self.summaries: list[Summary] = []
        self._listing = Listing([], now())
        self._filtered: tuple[list[str], list[int] | None] = ([], None)  # the last filter's words and matches
        self._partial = False  # only the newest rows are shown so far (see reload)
        self._index_noticed = False  # a damaged index is said once
        self._said = ""  # what the line under the table says (nothing while rows are shown)

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="home"):
            yield Input(placeholder="Type to filter: case ref, name, flow, status…", id="filter", select_on_focus=False)
            yield SubmissionTable(*COLUMNS, id="submissions")
            yield Static("", id="home-empty")
        yield SteadyFooter()

    def on_mount(self) -> None:
        self.sub_title = "Screen reader? marac-tui plain"
        quiet_cursor(self.query_one("#filter", Input))

    def on_screen_resume(self) -> None:
        """Fill the table each time the screen is shown: first, and on coming back to it."""
        self.reload()

    @work(thread=True, exclusive=True, group="home-list")
    def reload(self) -> None:
        """Read the list off the UI thread, then show it. The first time, the newest rows come first
        (from the index's head: as quick with 10,000 stored as with 20), then the whole list."""
        try:
            first = None if self.summaries else self.store.newest()
            if first:
                shown = threading.Event()
                self.app.call_from_thread(self._show, first, shown)
                shown.wait(1.0)  # the first page on screen before reading the rest holds the interpreter
            summaries = self.store.list()
        except Exception as exc:  # noqa: BLE001 - a damaged store is reported, not a crash
            self.app.call_from_thread(self.notify, str(exc), title="Cannot list", severity="error", markup=False)
            return
        self.app.call_from_thread(self._show, summaries)
        if self.store.index_damage is not None and not self._index_noticed:
            from marac_tui.tui.startup_notices import index_notice

            self._index_noticed = True
            self.app.call_from_thread(self.notify, index_notice(self.store.index_damage), title="Store warning",
                                      severity="warning", timeout=20, markup=False)  # fmt: skip

    def _show(self, summaries: list[Summary], first_page: threading.Event | None = None) -> None:
        """Show `summaries`; `first_page` (set once they are on screen) says they are only the newest."""
        if not self.query("#home-empty"):  # the list came back before the screen finished mounting
            self.call_after_refresh(self._show, summaries, first_page)
            return
        self.summaries = summaries
        self._listing = Listing(summaries, now())
        self._filtered = ([], None)
        self._partial = first_page is not None
        self._fill()
        if first_page is not None:
            self.call_after_refresh(first_page.set)
        else:
            self.post_message(self.Listed())

    def _found(self, words: list[str]) -> list[int] | None:
        """Positions of the summaries matching every word (None: no filter). Typing narrows the last
        result rather than starting again, so each key at 10,000 submissions searches fewer."""
        if not words:
            self._filtered = ([], None)
            return None
        before, found = self._filtered
        narrower = found is not None and len(words) >= len(before) and all(
            old in new for old, new in zip(before, words[: len(before)])
        )
        found = self._listing.matching(words, found if narrower else None)
        self._filtered = (words, found)
        return found

    def _fill(self) -> None:
        words = self.query_one("#filter", Input).value.lower().split()
        rows = SummaryRows(self._listing, self._found(words))
        self.query_one(SubmissionTable).set_rows(rows)
        if not self.summaries:
            say = "No submissions yet. Press n to start one, t for a training case."
        elif not len(rows):
            say = "Reading the rest of the list…" if self._partial else "Nothing matches the filter."
        else:
            say = ""
        if say != self._said:  # an update lays the screen out again: not on every key typed
            self._said = say
            self.query_one("#home-empty", Static).update(say)

    @on(Input.Changed, "#filter")
    def _filter(self) -> None:
        self._fill()

    @on(Input.Submitted, "#filter")
    def _filter_done(self) -> None:
        """Enter in the filter opens the highlighted match (or goes to the table if there is none)."""
        if self._selected_id() is not None:
            self.action_resume()
        else:
            self.query_one(SubmissionTable).focus()

    def action_focus_filter(self) -> None:
        self.query_one("#filter", Input).focus()

    def on_key(self, event: events.Key) -> None:
        """Typing in the table starts filtering (the command keys n, d, t, / and ? excepted); in the
        filter, ↓ goes to the table and Esc clears the filter."""
        table = self.query_one(SubmissionTable)
        box = self.query_one("#filter", Input)
        char = event.character or ""
        typed = char != "" and char.isprintable() and not char.isspace()
        # `self.focused`, not `has_focus`: keys typed fast arrive before the Focus event is handled
        in_filter = self.focused is box
        if event.key == "slash" and self.focused is table:
            self.set_focus(box)  # here rather than by the binding, so a ↓ right after it sees the filter
            event.stop()
        elif typed and in_filter:
            # typed fast, this key was on its way to the table when the first one moved the focus:
            # it is filter text too (the filter itself keeps the keys it receives)
            box.insert_text_at_cursor(char)
            event.stop()
        elif typed and self.focused is table and event.key not in {"n", "d", "t"} and char not in "/?":
            self.set_focus(box)
            box.insert_text_at_cursor(char)
            event.stop()
        elif in_filter and event.key == "down":  # to the highlighted row, without moving it
            self.set_focus(table)
            event.stop()
        elif in_filter and event.key == "escape" and box.value:
            box.value = ""
            event.stop()

    def _selected_id(self) -> str | None:
        return self.query_one(SubmissionTable).cursor_key

    # --- actions (also reached from the command palette) --------------------------------------

    def action_resume(self) -> None:
        sid = self._selected_id()
        if sid is None:
            self.notify("Nothing to resume: press n to start a submission.")
            return
        self.app.open_submission(sid)  # type: ignore[attr-defined]

    @on(SubmissionTable.Selected)
    def _row_chosen(self) -> None:
        self.action_resume()

    def action_new_submission(self) -> None:
        from marac_tui.flow.loader import agency_order, available_flows, load_named

        flows = []
        for name in available_flows():
            try:
                flows.append(load_named(name))
            except Exception as exc:  # noqa: BLE001 - a broken flow file is named, the others stay usable
                self.notify(f"flow {name}: {exc}", severity="error", markup=False)
        if not flows:
            self.notify("No flows are installed.", severity="error")
            return
        width = min(CHOOSER_WIDTH, self.app.size.width * 95 // 100) - 16  # the dialog's border, padding, list
        choices = [(flow.name, flow_choice(flow, width)) for flow in sorted(flows, key=agency_order)]
        self.app.push_screen(ChooseScreen("Start a new submission: which agency are you researching for?", choices),
                             self._start)  # fmt: skip

    def _start(self, name: str | None) -> None:
        if name is None:
            return
        self.app.start_submission(name)  # type: ignore[attr-defined]

    def action_delete(self) -> None:
        sid = self._selected_id()
        if sid is None:
            return
        summary = next(s for s in self.summaries if s.id == sid)
        question = Text("Delete the submission ")
        question.append_text(one_line(summary.case_ref or sid[:8], 40))
        question.append(f" ({sid[:8]})? Its answers and audit trail are removed for good.")
        self.app.push_screen(ConfirmScreen(question), lambda yes: self._delete(sid, yes))

    def _delete(self, sid: str, yes: bool | None) -> None:
        if not yes:
            return
        try:
            self.store.delete(sid)
        except Exception as exc:  # noqa: BLE001 - e.g. locked by another window: shown, nothing removed
            self.notify(str(exc), title="Not deleted", severity="error", markup=False)
            return
        self.notify(f"Deleted {sid[:8]}.")
        self.reload()

    def action_meeting_pack(self) -> None:
        from marac_tui.tui.screens.chair import open_meeting_pack

        open_meeting_pack(self, self.store)

    def action_training(self) -> None:
        from marac_tui.training.scenarios import list_scenarios

        try:
            scenarios = list_scenarios()
        except Exception as exc:  # noqa: BLE001 - a broken scenario file is named
            self.notify(str(exc), title="Training", severity="error", markup=False)
            return
        choices = [(s.name, Text.assemble((s.title, "bold"), f"  level {s.level} — {' '.join(s.summary.split())}"))
                   for s in scenarios]  # fmt: skip
        self.app.push_screen(ChooseScreen("Training: pick a fictional case", choices), self._train)

    def _train(self, name: str | None) -> None:
        """Start the chosen case; a multi-agency case first asks which agency's part to play."""
        if name is None:
            return
        from marac_tui.flow.loader import load_named
        from marac_tui.training.scenarios import load_scenario

        scenario = load_scenario(name)
        if not scenario.multi_agency:
            self.app.start_training(name)  # type: ignore[attr-defined]
            return
        width = min(CHOOSER_WIDTH, self.app.size.width * 95 // 100) - 16
        parts = [(agency, flow_choice(load_named(agency), width)) for agency in scenario.agencies()]
        self.app.push_screen(
            ChooseScreen(f"{scenario.title}: which agency's part will you play?", parts),
            lambda agency: self._train_part(name, agency),
        )

    def _train_part(self, name: str, agency: str | None) -> None:
        if agency is not None:
            self.app.start_training(name, agency)  # type: ignore[attr-defined]
