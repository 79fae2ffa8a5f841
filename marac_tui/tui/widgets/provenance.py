"""The provenance strip: how the representative knows the last research answer (status, source, date
checked, fact/opinion, share or withhold with a reason).

The answer is recorded with the proposed provenance at once, so accepting it costs no key: the strip
stays folded under the answer area as one status line for the last answer, saying where its source
and fact/opinion came from. Ctrl+O (or F4, or a click) unfolds it to change them; Enter keeps the
change, Esc drops it.
"""

from __future__ import annotations

from datetime import date

from rich.segment import Segment
from rich.text import Text
from textual import on
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.events import Click
from textual.message import Message
from textual.strip import Strip
from textual.suggester import SuggestFromList
from textual.widget import Widget
from textual.widgets import Input, Static

from marac_tui.engine.interview import AnswerMeta
from marac_tui.flow.values import parse_date
from marac_tui.submission import STATUS_LABELS, Answer, Basis, Status
from marac_tui.tui.widgets.answers import DateValidator, ErrorLine
from marac_tui.tui.widgets.cursor import quiet_cursor
from marac_tui.tui.widgets.literal import literal, one_line

STATUSES = [Status.found, Status.nothing_held, Status.not_checked, Status.not_applicable]


CHIPS = ("status", "source", "date", "basis", "share")


class ChipLine(Widget, can_focus=True):
    """The five parts of the provenance as chips on one line; a click on a chip changes it.

    One widget, not five: focus lands here at every research answer, and Textual restyles what
    it focuses (and its children) each time."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES = {"chip"}
    DEFAULT_CSS = """
    ChipLine { height: 1; }
    ChipLine > .chip { background: $panel; }
    ChipLine:focus > .chip { background: $accent 25%; }
    """

    class Clicked(Message):
        """A chip was clicked."""

        def __init__(self, chip: str) -> None:
            super().__init__()
            self.chip = chip

    def __init__(self) -> None:
        super().__init__(id="chips")
        self.texts: dict[str, Text] = {}
        self._spans: list[tuple[int, int, str]] = []

    def show(self, texts: dict[str, Text]) -> None:
        self.texts = texts
        self.refresh()

    def render_line(self, y: int) -> Strip:
        """The chips as one line of segments (drawn directly: converting styled text costs more)."""
        base = self.rich_style
        if y:
            return Strip.blank(self.size.width, base)
        chip = base + self.get_component_rich_style("chip")
        segments: list[Segment] = []
        self._spans = []
        width = 0
        for name in CHIPS:
            start = width
            parts = [Segment(" ", chip), *self.texts.get(name, Text()).render(self.app.console), Segment(" ", chip)]
            segments += [Segment(part.text, chip + part.style if part.style else chip) for part in parts]
            width += sum(part.cell_length for part in parts)
            self._spans.append((start, width, name))
            segments.append(Segment(" ", base))
            width += 1
        return Strip(segments, width).crop_extend(0, self.size.width, base)

    @property
    def plain(self) -> str:
        """The chips as text."""
        return " ".join(self.texts.get(name, Text()).plain for name in CHIPS)

    def on_click(self, event: Click) -> None:
        for start, end, name in self._spans:
            if start <= event.x < end:
                self.post_message(self.Clicked(name))
                return


class ProvenanceStrip(Vertical):
    """How the representative knows the last research answer: folded (a status line) or unfolded.
    Unfolded, one key changes one thing and folds it again: f n c a (status), 1–9 (a source by number),
    o (fact/opinion), w (withhold, then the reason), s or d (type a source or a date, then Enter);
    ← → step through the sources and Enter keeps what is shown; Esc drops what changed."""

    DEFAULT_CSS = """
    ProvenanceStrip { height: auto; }
    ProvenanceStrip > ChipLine { margin: 1 0 0 0; }
    ProvenanceStrip.-folded > ChipLine { margin: 0; }
    ProvenanceStrip.-folded > .keys { display: none; }
    """

    BINDINGS = [
        Binding("enter", "accept", "Done", show=False),
        Binding("f", "status(0)", "Found", show=False),
        Binding("n", "status(1)", "Nothing held", show=False),
        Binding("c", "status(2)", "Not checked", show=False),
        Binding("a", "status(3)", "N/A", show=False),
        *[Binding(str(n), f"pick_source({n})", show=False) for n in range(1, 10)],
        Binding("left", "source(-1)", "Source", show=False),
        Binding("right", "source(1)", "Source", show=False),
        Binding("s", "edit('source')", "Type source", show=False),
        Binding("d", "edit('date')", "Date", show=False),
        Binding("o", "basis", "Fact/opinion", show=False),
        Binding("w", "withhold", "Share/withhold", show=False),
        Binding("escape", "cancel_edit", show=False),
    ]

    class Accepted(Message):
        """The user confirmed the provenance of the answer."""

        def __init__(self, strip: ProvenanceStrip, meta: AnswerMeta) -> None:
            super().__init__()
            self.strip = strip
            self.meta = meta

        @property
        def control(self) -> ProvenanceStrip:
            return self.strip

    class Dropped(Message):
        """Esc in the unfolded strip: the change is dropped and the strip folds again."""

    class OpenRequested(Message):
        """The folded strip was clicked: unfold it."""

    def __init__(self, sources: list[str], **kwargs: object) -> None:
        super().__init__(classes="provenance-strip -folded", **kwargs)  # type: ignore[arg-type]
        self.flow_sources = list(sources)
        self.sources = list(sources)
        self.meta = AnswerMeta()
        self.original = AnswerMeta()
        self.about = ""  # the question, short
        self.note = ""  # where the proposed provenance came from
        self._shown_title: Text | None = None

    @property
    def folded(self) -> bool:
        return self.has_class("-folded")

    def load(self, answer: Answer, about: str = "", note: str = "", proposed_source: str | None = None) -> None:
        """Show the provenance of a newly recorded answer (the strip is mounted once and reused);
        `proposed_source` stands in for a source the answer lacks (a 'not checked' one keeps none), in
        case its status is changed."""
        self.meta = AnswerMeta(
            status=answer.status or Status.found,
            source=answer.source or proposed_source,
            checked_on=answer.checked_on or date.today(),
            basis=answer.basis or Basis.fact,
            share=answer.share,
            withhold_reason=answer.withhold_reason,
        )
        self.original = AnswerMeta(**self.meta.__dict__)
        self.about, self.note = about, note
        self.sources = list(dict.fromkeys([*self.flow_sources, *([answer.source] if answer.source else [])]))
        self._close_boxes()
        self._clear_error()
        self._render_chips()

    def fold(self) -> None:
        """Back to the status line (any box for typing closed)."""
        self._close_boxes()
        self._clear_error()
        self.add_class("-folded")
        self.query_one(ChipLine).can_focus = False  # nothing to type at while folded; Tab passes it by
        self._title()

    def _close_boxes(self) -> None:
        boxes = self.query(Input)
        if boxes:  # at most one, while typing a source, a date or a reason: most answers have none
            boxes.remove()

    def unfold(self) -> None:
        """Open for changing, with the keyboard on the chips."""
        self.remove_class("-folded")
        self.query_one(ChipLine).can_focus = True
        self._title()
        self.focus_chips()

    def compose(self) -> ComposeResult:
        yield Static("", classes="strip-title")
        yield ChipLine()
        yield ErrorLine()
        yield Static("", classes="keys")

    def _keys(self) -> Text:
        sources = " ".join(f"{n} {one_line(s, 20).plain}" for n, s in enumerate(self.sources[:9], 1))
        return Text(f"One key changes it: f found · n nothing held · c not checked · a n/a · {sources} · "
                    "o fact/opinion · w share/withhold · s type a source · d type the date · "
                    "(←→ step through sources, Enter keeps) · Esc undo")  # fmt: skip

    def _title(self) -> None:
        about = f"“{self.about}”" if self.about else "the last answer"
        if self.folded:
            note = f" — {self.note}" if self.note else ""
            title = Text.assemble(("How you know ", "bold"), (about, "bold"), note, " · ", ("Ctrl+O", "bold"), " change")
        else:
            title = Text.assemble(("How do you know ", "bold"), (about, "bold"), ("?", "bold"))
            self.query_one(".keys", Static).update(self._keys())
        if title != self._shown_title:  # loading then folding asks twice: one update, one layout
            self._shown_title = title
            self.query_one(".strip-title", Static).update(title)

    # --- showing -----------------------------------------------------------------------------

    def _render_chips(self) -> None:
        meta = self.meta
        checked = meta.checked_on.strftime("%d %b %Y") if meta.checked_on else "date not recorded"
        share = Text("Shared", style="bold") if meta.share else literal(
            f"Withheld: {meta.withhold_reason or '(reason needed)'}", 200, style="bold"
        )
        unchecked = meta.status is Status.not_checked  # nothing looked at: no source or date is kept
        texts = {
            "status": Text(STATUS_LABELS[meta.status] if meta.status else "No status", style="bold"),
            "source": Text("no source", style="dim") if unchecked else one_line(meta.source or "no source", 40),
            "date": Text("not checked", style="dim") if unchecked else Text(f"checked {checked}"),
            "basis": Text((meta.basis or Basis.fact).value.capitalize()),
            "share": share,
        }
        self.query_one(ChipLine).show(texts)
        self._title()

    def show_error(self, message: str) -> None:
        self.query_one(ErrorLine).report(message)

    def _clear_error(self) -> None:
        self.query_one(ErrorLine).clear()

    # --- editing -----------------------------------------------------------------------------

    async def action_status(self, index: int) -> None:
        self.meta.status = STATUSES[index]
        self._render_chips()
        await self.action_accept()

    async def action_pick_source(self, number: int) -> None:
        if 1 <= number <= len(self.sources):
            self.meta.source = self.sources[number - 1]
            self._render_chips()
            await self.action_accept()

    def action_source(self, step: int) -> None:
        if not self.sources:
            return
        current = self.sources.index(self.meta.source) if self.meta.source in self.sources else -step
        self.meta.source = self.sources[(current + step) % len(self.sources)]
        self._render_chips()

    async def action_basis(self) -> None:
        self.meta.basis = Basis.opinion if self.meta.basis is Basis.fact else Basis.fact
        self._render_chips()
        await self.action_accept()

    async def action_withhold(self) -> None:
        self.meta.share = not self.meta.share
        self._render_chips()
        if not self.meta.share:
            await self.action_edit("reason")
        else:
            self._clear_error()
            await self.action_accept()

    async def action_edit(self, field: str) -> None:
        """Type a source, a date or a reason in a box under the chips (made only while editing, so
        the strip stays light to focus at every answer)."""
        await self.query(Input).remove()
        current = {
            "source": self.meta.source or "",
            "date": self.meta.checked_on.strftime("%d/%m/%Y") if self.meta.checked_on else "",
            "reason": self.meta.withhold_reason or "",
        }[field]
        box = edit_box(field, current, self.sources)
        quiet_cursor(box)
        await self.mount(box, before=self.query_one(ErrorLine))
        box.focus()

    def _close(self, box: Input) -> None:
        box.remove()
        self.focus_chips()

    def focus_chips(self) -> None:
        """Put the keyboard on the strip (its keys: Enter, 1–4, ←→, s, d, o, w)."""
        self.query_one(ChipLine).focus()

    @on(Input.Submitted)
    async def _field_done(self, event: Input.Submitted) -> None:
        event.stop()
        box = event.input
        if box.id == "edit-date":
            if event.validation_result is not None and not event.validation_result.is_valid:
                self.show_error(event.validation_result.failure_descriptions[0])
                return
            checked = parse_date(event.value) if event.value.strip() else None
            if checked is not None and checked > date.today():
                self.show_error(f"{checked:%d/%m/%Y} is in the future: when did you check?")
                return
            self.meta.checked_on = checked
        elif box.id == "edit-source":
            self.meta.source = event.value.strip() or None
        elif box.id == "edit-reason":
            if not event.value.strip() and not self.meta.share:
                self.show_error("Say why this is withheld (or press Esc, then w, to share it).")
                return
            self.meta.withhold_reason = event.value.strip() or None
        self._clear_error()
        self._close(box)
        self._render_chips()
        await self.action_accept()

    def action_cancel_edit(self) -> None:
        focused = self.screen.focused
        if isinstance(focused, Input) and focused.parent is self:
            self._close(focused)
        elif self.folded:
            raise SkipAction()
        else:
            self.meta = AnswerMeta(**self.original.__dict__)
            self._render_chips()
            self.post_message(self.Dropped())

    @on(ChipLine.Clicked)
    async def _chip_clicked(self, event: ChipLine.Clicked) -> None:
        event.stop()
        if self.folded:
            self.post_message(self.OpenRequested())
        elif event.chip == "status":
            index = STATUSES.index(self.meta.status) if self.meta.status in STATUSES else -1
            self.meta.status = STATUSES[(index + 1) % len(STATUSES)]  # a click steps; Enter keeps
            self._render_chips()
        elif event.chip == "source":
            self.action_source(1)
        elif event.chip == "date":
            await self.action_edit("date")
        elif event.chip == "basis":
            await self.action_basis()
        elif event.chip == "share":
            await self.action_withhold()

    async def action_accept(self) -> None:
        if not self.meta.share and not (self.meta.withhold_reason or "").strip():
            self.show_error("Withheld without a reason: say why it is not shared (or press w to share it).")
            await self.action_edit("reason")
            return
        self._clear_error()
        self.post_message(self.Accepted(self, AnswerMeta(**self.meta.__dict__)))

    @property
    def changed(self) -> bool:
        return self.meta != self.original

    def pending_meta(self) -> AnswerMeta:
        """What the strip shows now, with whatever is typed in an open box (for when the app closes
        before Enter: nothing the user set is dropped)."""
        meta = AnswerMeta(**self.meta.__dict__)
        for box in self.query(Input):
            text = box.value.strip()
            if box.id == "edit-source" and text:
                meta.source = text
            elif box.id == "edit-reason" and text:
                meta.withhold_reason = text
            elif box.id == "edit-date" and text:
                try:
                    meta.checked_on = min(parse_date(text), date.today())
                except ValueError:
                    pass
        return meta


def edit_box(field: str, value: str, sources: list[str]) -> Input:
    """The box for typing one part of the provenance."""
    if field == "source":
        return Input(value, placeholder="Source (type; → accepts the suggestion)", id="edit-source",
                     suggester=SuggestFromList(sources, case_sensitive=False))  # fmt: skip
    if field == "date":
        return Input(value, placeholder="Date checked, DD/MM/YYYY", id="edit-date", validators=[DateValidator()],
                     validate_on=["submitted"])  # fmt: skip
    return Input(value, placeholder="Why is this withheld from the meeting? (required)", id="edit-reason")
