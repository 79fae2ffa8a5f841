"""The interview screen: the chat transcript, the answer area (by item kind), the provenance strip,
the progress sidebar and the 'why this matters' panel. It coordinates; the widgets do the work.
"""

from __future__ import annotations

from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Header, Static
from textual.worker import Worker, WorkerState

from marac_tui.engine.interview import Change, Interview
from marac_tui.engine.provenance import AnswerMeta, origin_note, short_label
from marac_tui.flow.spec import Item, Kind
from marac_tui.flow.values import AnswerError
from marac_tui.submission import SubmissionState
from marac_tui.tui.after_paint import AfterPaint
from marac_tui.tui.autosave import Autosaver
from marac_tui.tui.widgets.answer_area import AnswerArea
from marac_tui.tui.widgets.answers import AnswerInput, editor_for, input_class
from marac_tui.tui.widgets.guidance import GuidancePanel
from marac_tui.tui.widgets.footer import SteadyFooter
from marac_tui.tui.widgets.literal import literal, one_line
from marac_tui.tui.screens.same_person import SamePersonWatch
from marac_tui.tui.widgets.progress import ProgressSidebar, in_asking_order, short_prompt
from marac_tui.tui.widgets.provenance import ProvenanceStrip
from marac_tui.tui.widgets.transcript import Message, Transcript, describe, provenance

if TYPE_CHECKING:
    from marac_tui.store import Store
    from marac_tui.store.locks import EditLock

RESUME_PAIRS = 60  # questions and answers shown again when a draft is opened (within Transcript.KEEP)
NARROW = 140  # below this width the guidance panel takes the sidebar's place
SIDEBAR_ROOM = 100  # below this width the progress sidebar starts hidden
HAS_ANSWER = {"answered", "found", "nothing_held", "not_checked", "not_applicable"}


class InterviewScreen(Screen):
    """One submission, one question at a time; every answer is saved as soon as it is given."""

    BINDINGS = [
        Binding("ctrl+b,alt+left", "back", "Back"),
        Binding("ctrl+n", "skip", "Skip"),
        Binding("ctrl+o,f4", "provenance", "How you know", show=False),
        Binding("ctrl+t", "rest_not_checked", "Rest not checked"),
        Binding("f2", "toggle_guidance", "Why this matters"),
        Binding("g", "toggle_guidance", "Why this matters", show=False),
        Binding("f3", "toggle_sidebar", "Progress"),
        Binding("ctrl+r", "review", "Review"),
        Binding("ctrl+s", "summary", "Chair's summary"),
        Binding("escape", "home", "Home", show=False),
        Binding("f5", "same_person", "Same person?", show=False),
    ]

    def __init__(self, interview: Interview, store: Store, *, read_only: str | None = None, lock: EditLock | None = None,
                 brief: str | None = None) -> None:  # fmt: skip
        super().__init__()
        self.interview = interview
        self.store = store
        self.read_only = read_only
        self.edit_lock = lock  # not `lock`: Widget.lock is Textual's own
        self.brief = brief
        self._last: tuple[str, int | None, Message] | None = None  # the research answer the strip describes
        self._strip_for: tuple[str, int | None, Message] | None = None  # the one it is open to change
        self._last_heading: tuple[str, int | None] | None = None  # (section, perpetrator) last headed
        self._closed_out = False
        self._sidebar_made_way = False
        self._input: AnswerInput | None = None
        self._asked = 0  # questions put so far; an answer for an earlier one is ignored
        self._side_stale = False
        self._dropped: list[Change] = []  # answers removed since the last notice
        self._strip = ProvenanceStrip(interview.flow.sources, id="strip")
        self.after_paint = AfterPaint(self)  # what an answer sets off, once the next prompt is painted
        self.autosaver = Autosaver(store, self._start_save)
        self.same_person = SamePersonWatch(self)  # "may appear in other cases", carry forward (F5)
        if read_only is None:
            interview.on_change = self._changed

    @property
    def answer_input(self) -> AnswerInput | None:
        """The input the current question is answered in (None between an answer and the next prompt)."""
        return self._input

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="body"):
            yield ProgressSidebar(id="sidebar")
            with Vertical(id="main"):
                yield Transcript(id="transcript")
                yield AnswerArea(id="answer-area")
                yield self._strip
            yield GuidancePanel(self.interview.flow, id="guidance")
        yield SteadyFooter()

    async def on_mount(self) -> None:
        submission = self.interview.submission
        self.title = self.interview.flow.title
        self.sub_title = one_line(submission.case_ref, 40).plain
        if self.app.size.width < SIDEBAR_ROOM:  # a narrow terminal: the conversation first (F3 shows it)
            self.query_one(ProgressSidebar).display = False
        self._rebuild_transcript()
        await self._ask()
        self._refresh_side()
        self.screen_layout_refresh_signal.subscribe(self, self._after_layout)
        self.after_paint.subscribe()
        if self.read_only:
            self.notify(self.read_only, title="Read-only", severity="warning", timeout=8, markup=False)

    # --- the conversation --------------------------------------------------------------------

    def _heading(self, item: Item, scope: int | None) -> str:
        section = self.interview.flow.section_of(item.id)
        if scope is None:
            return section.title
        return f"{section.title} — {self.interview.perpetrator_name(scope)}"

    def _add_heading(self, item: Item, scope: int | None) -> None:
        """A heading when the conversation enters a section (per perpetrator), once: naming the
        perpetrator inside a section does not repeat it."""
        section = (self.interview.flow.section_of(item.id).id, scope)
        if section != self._last_heading:
            self._last_heading = section
            self.query_one(Transcript).add_note(self._heading(item, scope), (item.id, scope), heading=True)

    def _section_of(self, heading: Message) -> tuple[str, int | None]:
        item_id, scope = heading.key or ("", None)
        return self.interview.flow.section_of(item_id).id, scope

    def _rebuild_transcript(self) -> None:
        """On opening: the questions answered before the current one (the latest RESUME_PAIRS of
        them; the rest are in the review and the sidebar)."""
        iv = self.interview
        transcript = self.query_one(Transcript)
        rows = in_asking_order(iv.progress(), iv.flow)
        answered = []
        for row in rows:
            if row.state == "current" and not self.read_only:
                break
            if row.state in HAS_ANSWER:
                answered.append(row)
        if self.brief:
            transcript.add_bot(("brief", None), self.brief)
        if len(answered) > RESUME_PAIRS:
            hidden = len(answered) - RESUME_PAIRS
            transcript.add_note(f"… {hidden} earlier answers: see the review (Ctrl+R) or the sidebar.")
            answered = answered[hidden:]
        for row in answered:
            item = iv.flow.item(row.item)
            self._add_heading(item, row.perpetrator)
            answer = iv.answer_of(row.item, row.perpetrator)
            key = (row.item, row.perpetrator)
            transcript.add_bot(key, item.prompt, item.hint)
            value = answer.value if answer else None
            shown = "(skipped)" if value is None else describe(item, value, iv.flow)
            transcript.add_user(key, shown, provenance(answer))

    async def _ask(self) -> None:
        """Show the current item's prompt and the input for its kind."""
        iv = self.interview
        self._asked += 1
        self._input = None
        self._side_stale = True  # brought up to date once the prompt is on screen (_after_layout)
        transcript = self.query_one(Transcript)
        area = self.query_one(AnswerArea)
        if self.read_only:
            await area.show(Static(literal(f"Read-only: {self.read_only}"), classes="read-only"))
            return
        if iv.done:
            transcript.add_note("That is every question. Press Ctrl+R to review and finalise, "
                                "or pick any item on the left to change it.")  # fmt: skip
            await area.show(Static("Done: Ctrl+R review · Ctrl+S Chair's summary · Esc home", classes="keys"))
            self.after_paint.later(self.action_review)  # once the closing note is on screen
            return
        item = iv.current
        assert item is not None
        scope = iv.current_scope
        self._add_heading(item, scope)
        transcript.add_bot((item.id, scope), item.prompt, item.hint)
        answer = iv.current_answer
        value = answer.value if answer else None
        kind = input_class(item.kind)
        if kind is None:
            widget = editor_for(item, value, **self._editor_context(item, scope))
            await area.show(widget, tall=True)
        else:
            widget = await area.show_input(kind, item, value)
        widget.asked = self._asked
        self._input = widget
        self.after_paint.focus(partial(self._focus_on, widget))  # once the prompt is painted (after_paint.py)

    def _focus_on(self, widget: AnswerInput) -> None:
        """Focus the shown input's control (at the top of the answer area: nothing to scroll to)."""
        target = widget.focus_target()
        if target is not None and target.is_attached and widget is self._input:
            self.set_focus(target, scroll_visible=False)

    def _editor_context(self, item: Item, scope: int | None) -> dict[str, Any]:
        if item.kind is not Kind.actions:
            return {}
        p = scope or 0
        iv = self.interview
        return {
            "flow": iv.flow,
            "risks": list(iv.submission.perpetrators[p].risks),
            "suggestions": iv.suggestions(p),
            "who": iv.perpetrator_name(p),
        }

    @on(AnswerInput.Entered)
    async def _answered(self, event: AnswerInput.Entered) -> None:
        event.stop()
        iv = self.interview
        item = iv.current
        if item is None or self.read_only or event.widget is not self._input or event.asked != self._asked:
            return  # e.g. a second Enter on an input that has already answered
        self.after_paint.hold()
        scope = iv.current_scope
        kept = self.interview.kept_meta(item, event.raw)
        try:
            warnings = iv.answer(event.raw, kept)
        except AnswerError as exc:
            event.widget.show_error(exc.problem)
            return
        self._input = None
        answer = iv.answer_of(item.id, scope)
        value = answer.value if answer else None
        bubble = self.query_one(Transcript).add_user((item.id, scope), describe(item, value, iv.flow),
                                                     provenance(answer))  # fmt: skip
        self._warn(warnings)
        self._describe_last(item, scope, bubble, kept=kept is not None)
        await self._ask()

    # --- how you know the last answer (the provenance strip) -----------------------------------

    def _describe_last(self, item: Item, scope: int | None, bubble: Message, *, kept: bool = False) -> None:
        """Fold the strip under the answer area as the last research answer's status line (it is already
        recorded with that provenance: accepting it costs no key); any other answer hides it."""
        iv = self.interview
        strip = self.query_one(ProvenanceStrip)
        self._close_strip()
        answer = iv.answer_of(item.id, scope)
        if answer is None or answer.status is None or not iv.flow.is_research(item.id):
            self._last = None
            strip.display = False
            return
        proposed = iv.proposed(item.id, scope, answer.value)
        note = "as recorded before" if kept else origin_note(iv.flow, proposed)
        self._last = (item.id, scope, bubble)
        strip.load(answer, short_label(iv.flow, item.id), note, proposed.meta.source)
        strip.fold()
        strip.display = True

    def _forget_last(self) -> None:
        self._close_strip()
        self._last = None
        self.query_one(ProvenanceStrip).display = False

    def action_provenance(self) -> None:
        """Open the last research answer's provenance to change it (Ctrl+O, F4, or a click on it)."""
        if self._refused():
            return
        if self._last is None:
            self.notify("Ctrl+O changes how you know the last research answer: answer one first.")
            return
        if self._strip_for is None:
            self._strip_for = self._last
            self.query_one(ProvenanceStrip).unfold()

    def _close_strip(self) -> None:
        """Fold the strip again and give the keyboard back to the current question."""
        if self._strip_for is None:
            return
        self._strip_for = None
        self.query_one(ProvenanceStrip).fold()
        if self._input is not None:
            self._input.focus_input()

    @on(ProvenanceStrip.OpenRequested)
    def _strip_clicked(self, event: ProvenanceStrip.OpenRequested) -> None:
        event.stop()
        self.action_provenance()

    @on(ProvenanceStrip.Dropped)
    def _provenance_dropped(self, event: ProvenanceStrip.Dropped) -> None:
        event.stop()
        self._close_strip()

    @on(ProvenanceStrip.Accepted)
    def _provenance_accepted(self, event: ProvenanceStrip.Accepted) -> None:
        event.stop()
        if self._strip_for is None:
            return
        item_id, scope, bubble = self._strip_for
        changed = event.strip.changed
        if changed:
            try:
                self.interview.set_meta(item_id, scope, event.meta)
            except AnswerError as exc:
                event.strip.show_error(exc.problem)
                return
        answer = self.interview.answer_of(item_id, scope)
        self.query_one(Transcript).set_meta(bubble, provenance(answer))
        if answer is not None:
            event.strip.load(answer, event.strip.about, "as you set it")
        self._close_strip()
        self._side_stale = True
        self.refresh()
        if answer is not None and not answer.share and changed:
            self._offer_parents(item_id, scope, answer.withhold_reason or "")

    def _offer_parents(self, item_id: str, scope: int | None, reason: str) -> None:
        """A follow-up withheld: offer to withhold the answer it follows too, with the same reason (shown
        alone, that answer would tell the meeting something is held back)."""
        from marac_tui.engine.followups import parents
        from marac_tui.tui.screens.ask import AskScreen

        iv = self.interview
        for parent in parents(iv.flow, item_id):
            answer = iv.answer_of(parent, scope)
            if answer is None or not answer.share:
                continue
            question = Text.assemble("Withhold “", short_label(iv.flow, parent, 60), "” (",
                                     one_line(describe(iv.flow.item(parent), answer.value, iv.flow), 40), ") too?")  # fmt: skip
            detail = Text.assemble(
                "With the same reason: ", literal(reason, 200), ". Shown alone, that answer tells the meeting "
                "that something is held back; the meeting copy leaves it out while all that follows it is withheld."
            )  # fmt: skip
            self.app.push_screen(AskScreen(question, "Yes, withhold it too (y)", "No, share it (n)", detail),
                                 lambda yes, p=parent: self._withhold_parent(yes, p, scope, reason))  # fmt: skip
            return

    def _withhold_parent(self, yes: bool | None, parent: str, scope: int | None, reason: str) -> None:
        answer = self.interview.answer_of(parent, scope)
        if not yes or answer is None:
            return
        meta = AnswerMeta(status=answer.status, source=answer.source, checked_on=answer.checked_on,
                          basis=answer.basis, share=False, withhold_reason=reason)  # fmt: skip
        self.interview.set_meta(parent, scope, meta)
        bubble = self.query_one(Transcript).user_message((parent, scope))
        if bubble is not None:
            self.query_one(Transcript).set_meta(bubble, provenance(self.interview.answer_of(parent, scope)))
        self.notify(f"Withheld too: {short_label(self.interview.flow, parent, 60)}", markup=False)

    def _warn(self, warnings: list[str]) -> None:
        """Say which answers the skip logic removed, by their questions (the engine's warnings name
        items by id, for answers files)."""
        dropped, self._dropped = self._dropped, []
        if not warnings:
            return
        iv = self.interview
        lines = []
        for change in dropped:
            who = "" if change.perpetrator is None else f" ({iv.perpetrator_name(change.perpetrator)})"
            lines.append(f"• {short_prompt(iv.flow.item(change.item).prompt, 60)}{who}")
        text = "No longer asked, so removed:\n" + "\n".join(lines) if lines else "\n".join(warnings)
        self.notify(text, title="Skip logic re-applied", severity="warning", markup=False)

    def _after_layout(self, _screen: Screen) -> None:
        if self._side_stale:
            self._refresh_side()

    def _refresh_side(self) -> None:
        self._side_stale = False
        self.query_one(ProgressSidebar).show(self.interview)
        guidance = self.query_one(GuidancePanel)
        if guidance.display:
            guidance.show_item(self.interview.state if not self.interview.done else None)

    # --- moving around -----------------------------------------------------------------------

    def _refused(self) -> bool:
        if self.read_only:
            self.notify(self.read_only, title="Read-only", severity="warning", markup=False)
        return self.read_only is not None

    async def _moved(self, note: str) -> None:
        """After back or jump: cut the transcript back to that prompt if shown, else note the jump."""
        self.after_paint.hold()
        self._forget_last()
        iv = self.interview
        transcript = self.query_one(Transcript)
        if not iv.done and transcript.cut_from((iv.state, iv.current_scope)):
            heading = transcript.last_heading()
            self._last_heading = None if heading is None else self._section_of(heading)
        else:
            transcript.add_note(note)
        await self._ask()

    async def action_back(self) -> None:
        if self._refused():
            return
        if not self.interview.can_go_back():
            self.notify("This is the first question.", severity="information")
            return
        self.interview.back()
        await self._moved("↩ Went back")

    async def action_skip(self) -> None:
        if self._refused() or self.interview.done:
            return
        if self._strip_for is not None:
            await self.query_one(ProvenanceStrip).action_accept()
            return
        self.after_paint.hold()
        iv = self.interview
        item = iv.current
        assert item is not None
        scope = iv.current_scope
        try:
            warnings = iv.skip()
        except AnswerError as exc:
            if self._input is not None:
                self._input.show_error(f"Cannot skip: {exc.problem}")
            else:
                self.notify(f"Cannot skip: {exc.problem}", severity="warning", markup=False)
            return
        answer = iv.answer_of(item.id, scope)
        shown = "(skipped)" if answer is None or answer.value is None else describe(item, answer.value, iv.flow)
        bubble = self.query_one(Transcript).add_user((item.id, scope), shown, provenance(answer))
        self._warn(warnings)
        self._describe_last(item, scope, bubble)
        await self._ask()

    def action_rest_not_checked(self) -> None:
        """Record the rest of this research area, or of this person's research, as not checked (asks first)."""
        if self._refused() or self.interview.done:
            return
        item = self.interview.current
        assert item is not None
        if not self.interview.flow.is_research(item.id):
            self.notify("This is not a research item: only research can be recorded as not checked.",
                        severity="warning")  # fmt: skip
            return
        from marac_tui.tui.screens.rest_not_checked import RestNotCheckedScreen, rest_counts

        self.app.push_screen(RestNotCheckedScreen(rest_counts(self.interview)), self._rest_chosen)

    async def _rest_chosen(self, which: str | None) -> None:
        if which is None or self.interview.done:
            return
        iv = self.interview
        item = iv.current
        assert item is not None
        area, scope = iv.flow.section_of(item.id).title, iv.current_scope
        try:
            recorded = iv.rest_not_checked(whole_perpetrator=which == "person")
        except AnswerError as exc:
            self.notify(exc.problem, title="Not recorded", severity="warning", markup=False)
            return
        what = f"the rest of {area}" if which == "section" else f"{iv.perpetrator_name(scope or 0)}'s remaining research"
        self.query_one(Transcript).add_note(f"⤼ {recorded} not checked: {what} (no source or date recorded).")
        self.notify(f"{recorded} recorded as not checked: {what}.", markup=False)
        self._forget_last()
        await self._ask()

    async def action_jump_to(self, item_id: str, perpetrator: int | None = None) -> None:
        if self.read_only:
            transcript = self.query_one(Transcript)
            message = transcript.bot_message((item_id, perpetrator))
            if message is not None:
                transcript.scroll_to_message(message)
            return
        try:
            self.interview.jump(item_id, perpetrator or 0)
        except AnswerError as exc:
            self.notify(exc.problem, title="Cannot go there", severity="warning", markup=False)
            return
        item = self.interview.flow.item(item_id)
        await self._moved(f"↪ Jumped to: {one_line(item.prompt, 80).plain}")

    @on(ProgressSidebar.JumpRequested)
    async def _sidebar_jump(self, event: ProgressSidebar.JumpRequested) -> None:
        event.stop()
        await self.action_jump_to(event.item_id, event.perpetrator)

    def action_toggle_guidance(self) -> None:
        guidance = self.query_one(GuidancePanel)
        sidebar = self.query_one(ProgressSidebar)
        guidance.display = not guidance.display
        if guidance.display:
            guidance.show_item(None if self.interview.done else self.interview.state)
            if sidebar.display and self.size.width < NARROW:  # room for the conversation first
                sidebar.display = False
                self._sidebar_made_way = True
        elif self._sidebar_made_way:
            sidebar.display = True
            self._sidebar_made_way = False

    def action_toggle_sidebar(self) -> None:
        sidebar = self.query_one(ProgressSidebar)
        sidebar.display = not sidebar.display

    def action_review(self) -> None:
        from marac_tui.tui.screens.review import ReviewScreen

        self.app.push_screen(ReviewScreen(self.interview, self.store), self._after_review)

    async def _after_review(self, result: tuple[str, int | None] | None) -> None:
        if self.interview.submission.state is SubmissionState.finalised and self.read_only is None:
            self.read_only = "this submission is finalised; reopen it (marac-tui reopen) to change it"
            self.interview.on_change = None
            await self._ask()
            return
        if result is None:
            return
        item_id, perpetrator = result
        await self.action_jump_to(item_id, perpetrator)

    def action_summary(self) -> None:
        from marac_tui.tui.screens.summary import SummaryScreen

        self.app.push_screen(SummaryScreen(self.interview.submission, self.interview.flow))

    def action_home(self) -> None:
        if self.close_out():
            self.dismiss()

    # --- saving ------------------------------------------------------------------------------

    def _changed(self, interview: Interview, changes: list[Change]) -> None:
        self._dropped += [c for c in changes if c.new is None and c.old is not None]
        self.autosaver.queue(interview.submission, changes)
        self.same_person.changed(changes)

    def action_same_person(self) -> None:
        self.same_person.open()

    def _start_save(self, drain: Any) -> None:
        """Write in a worker thread once the frame with the next prompt is painted: the answer is
        already queued (snapshot taken), and the write's Python work would share the GIL with that frame."""
        self.after_paint.later(partial(self.run_worker, drain, thread=True, group="autosave", name="autosave",
                                       exit_on_error=False))  # fmt: skip

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "autosave":
            return
        case_ref = one_line(self.interview.submission.case_ref, 40).plain
        if event.state is WorkerState.SUCCESS:
            saved = f"{case_ref} · saved {datetime.now().strftime('%H:%M')}"
            if saved != self.sub_title:  # to the minute: a new sub-title repaints the whole screen
                self.sub_title = saved
        elif event.state is WorkerState.ERROR:
            self.sub_title = f"{case_ref} · NOT SAVED"
            self.notify(
                f"Could not save: {event.worker.error}. Your answers are kept in this window; "
                "the next answer tries again.",
                title="Not saved",
                severity="error",
                timeout=30,
                markup=False,
            )

    def close_out(self) -> bool:
        """Write anything still queued and let go of the edit lock; False (and shown) if a save fails."""
        if self._closed_out:
            return True
        self._keep_strip_edits()
        try:
            self.autosaver.flush()
        except Exception as exc:  # noqa: BLE001 - shown, and the screen stays open so nothing is lost
            self.notify(f"Could not save: {exc}. Stay on this screen and try again.", title="Not saved",
                        severity="error", timeout=30, markup=False)  # fmt: skip
            return False
        self._closed_out = True
        if self.edit_lock is not None:
            self.edit_lock.release()
        return True

    def _keep_strip_edits(self) -> None:
        """Leaving with the provenance strip open: record what it shows, Enter or not (a withholding
        still waiting for its reason stays withheld, and the review lists the missing reason)."""
        if self._strip_for is None or self.read_only:
            return
        item_id, scope, _bubble = self._strip_for
        strip = self._strip  # kept: the app may be tearing the screen down already
        meta = strip.pending_meta()
        if meta != strip.original:
            self.interview.set_meta(item_id, scope, meta, need_reason=False)
        self._strip_for = None

    def on_unmount(self) -> None:
        self.after_paint.close()
        self.close_out()
