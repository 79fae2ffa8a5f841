"""The provenance strip shown after a research answer: status, source, date checked, fact/opinion,
share or withhold (with a reason). It opens prefilled with the engine's defaults, so Enter accepts.
"""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual import on
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.events import Click
from textual.message import Message
from textual.suggester import SuggestFromList
from textual.widgets import Input, Static

from marac_tui.engine.interview import AnswerMeta
from marac_tui.flow.values import parse_date
from marac_tui.submission import STATUS_LABELS, Answer, Basis, Status
from marac_tui.tui.widgets.answers import DateValidator
from marac_tui.tui.widgets.cursor import quiet_cursor
from marac_tui.tui.widgets.literal import literal, one_line

STATUSES = [Status.found, Status.nothing_held, Status.not_checked, Status.not_applicable]


class Chip(Static):
    """One clickable part of the strip."""

    def __init__(self, name: str) -> None:
        super().__init__("", id=f"chip-{name}", classes="chip")
        self.chip = name


class ProvenanceStrip(Vertical, can_focus=True):
    """How the representative knows the answer; one key (Enter) accepts the defaults."""

    DEFAULT_CSS = """
    ProvenanceStrip { height: auto; }
    ProvenanceStrip Horizontal { height: auto; }
    ProvenanceStrip Input { display: none; }
    ProvenanceStrip Input.editing { display: block; }
    ProvenanceStrip > .answer-error { color: $text-error; display: none; height: auto; }
    ProvenanceStrip > .answer-error.shown { display: block; }
    """

    BINDINGS = [
        Binding("enter", "accept", "Accept", show=False),
        Binding("1", "status(0)", "Found", show=False),
        Binding("2", "status(1)", "Nothing held", show=False),
        Binding("3", "status(2)", "Not checked", show=False),
        Binding("4", "status(3)", "N/A", show=False),
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

    def __init__(self, sources: list[str], **kwargs: object) -> None:
        super().__init__(classes="provenance-strip", **kwargs)  # type: ignore[arg-type]
        self.flow_sources = list(sources)
        self.sources = list(sources)
        self.meta = AnswerMeta()
        self.original = AnswerMeta()

    def load(self, answer: Answer) -> None:
        """Show the provenance of a newly recorded answer (the strip is mounted once and reused)."""
        self.meta = AnswerMeta(
            status=answer.status or Status.found,
            source=answer.source,
            checked_on=answer.checked_on or date.today(),
            basis=answer.basis or Basis.fact,
            share=answer.share,
            withhold_reason=answer.withhold_reason,
        )
        self.original = AnswerMeta(**self.meta.__dict__)
        self.sources = list(dict.fromkeys([*self.flow_sources, *([answer.source] if answer.source else [])]))
        self.query_one("#edit-source", Input).suggester = SuggestFromList(self.sources, case_sensitive=False)
        for box in self.query(Input):
            box.remove_class("editing")
        self._clear_error()
        self._render_chips()

    def compose(self) -> ComposeResult:
        yield Static("How do you know? Enter accepts this:", classes="strip-title")
        with Horizontal(classes="chips"):
            for name in ("status", "source", "date", "basis", "share"):
                yield Chip(name)
        yield Input(placeholder="Source (type; → accepts the suggestion)", id="edit-source")
        yield Input(placeholder="Date checked, DD/MM/YYYY", id="edit-date", validators=[DateValidator()],
                    validate_on=["submitted"])  # fmt: skip
        yield Input(placeholder="Why is this withheld from the meeting? (required)", id="edit-reason")
        yield Static("", classes="answer-error")
        yield Static(
            "Enter accept · 1 found 2 nothing held 3 not checked 4 n/a · ←→ source · s type source · "
            "d date · o fact/opinion · w share/withhold",
            classes="keys",
        )

    def on_mount(self) -> None:
        for widget in self.query(Input):
            quiet_cursor(widget)

    # --- showing -----------------------------------------------------------------------------

    def _render_chips(self) -> None:
        meta = self.meta
        checked = meta.checked_on.strftime("%d %b %Y") if meta.checked_on else "date not recorded"
        share = Text("Shared", style="bold") if meta.share else literal(
            f"Withheld: {meta.withhold_reason or '(reason needed)'}", 200, style="bold"
        )
        texts = {
            "status": Text(STATUS_LABELS[meta.status] if meta.status else "No status", style="bold"),
            "source": one_line(meta.source or "no source", 40),
            "date": Text(f"checked {checked}"),
            "basis": Text((meta.basis or Basis.fact).value.capitalize()),
            "share": share,
        }
        for chip in self.query(Chip):
            chip.update(texts[chip.chip])

    def show_error(self, message: str) -> None:
        error = self.query_one(".answer-error", Static)
        error.update(literal(message, 400))
        error.add_class("shown")

    def _clear_error(self) -> None:
        self.query_one(".answer-error", Static).remove_class("shown")

    # --- editing -----------------------------------------------------------------------------

    def action_status(self, index: int) -> None:
        self.meta.status = STATUSES[index]
        self._render_chips()

    def action_source(self, step: int) -> None:
        if not self.sources:
            return
        current = self.sources.index(self.meta.source) if self.meta.source in self.sources else -step
        self.meta.source = self.sources[(current + step) % len(self.sources)]
        self._render_chips()

    def action_basis(self) -> None:
        self.meta.basis = Basis.opinion if self.meta.basis is Basis.fact else Basis.fact
        self._render_chips()

    def action_withhold(self) -> None:
        self.meta.share = not self.meta.share
        self._render_chips()
        if not self.meta.share:
            self.action_edit("reason")
        else:
            self._clear_error()

    def action_edit(self, field: str) -> None:
        box = self.query_one(f"#edit-{field}", Input)
        current = {
            "source": self.meta.source or "",
            "date": self.meta.checked_on.strftime("%d/%m/%Y") if self.meta.checked_on else "",
            "reason": self.meta.withhold_reason or "",
        }[field]
        box.value = current
        box.add_class("editing")
        box.focus()

    def _close(self, box: Input) -> None:
        box.remove_class("editing")
        self.focus()

    @on(Input.Submitted)
    def _field_done(self, event: Input.Submitted) -> None:
        event.stop()
        box = event.input
        if box.id == "edit-date":
            if event.validation_result is not None and not event.validation_result.is_valid:
                self.show_error(event.validation_result.failure_descriptions[0])
                return
            self.meta.checked_on = parse_date(event.value) if event.value.strip() else None
        elif box.id == "edit-source":
            self.meta.source = event.value.strip() or None
        elif box.id == "edit-reason":
            self.meta.withhold_reason = event.value.strip() or None
        self._clear_error()
        self._close(box)
        self._render_chips()

    def action_cancel_edit(self) -> None:
        focused = self.screen.focused
        if not (isinstance(focused, Input) and focused.parent is self):
            raise SkipAction()
        self._close(focused)

    def on_click(self, event: Click) -> None:
        chip = event.widget if isinstance(event.widget, Chip) else None
        if chip is None:
            return
        if chip.chip == "status":
            index = STATUSES.index(self.meta.status) if self.meta.status in STATUSES else -1
            self.action_status((index + 1) % len(STATUSES))
        elif chip.chip == "source":
            self.action_source(1)
        elif chip.chip == "date":
            self.action_edit("date")
        elif chip.chip == "basis":
            self.action_basis()
        elif chip.chip == "share":
            self.action_withhold()

    def action_accept(self) -> None:
        if not self.meta.share and not (self.meta.withhold_reason or "").strip():
            self.show_error("Withheld without a reason: say why it is not shared (or press w to share it).")
            self.action_edit("reason")
            return
        self._clear_error()
        self.post_message(self.Accepted(self, AnswerMeta(**self.meta.__dict__)))

    @property
    def changed(self) -> bool:
        return self.meta != self.original
