"""The Chair screen: the meeting pack for one case, built from the store, read line by line.

From home, *Meeting pack* (F5) asks which case, then shows the brief: last meeting's actions not
done, who is not round the table, then each alleged perpetrator with why their records were
matched, the risks and who raised them, where agencies disagree, research no agency checked, the
actions and the risks no action addresses. On a match line (⇄) the Chair confirms it (c) or splits
it into two people (s); the decision is kept for the case. a adds another agency's meeting export or
sealed file (asking once for the coordinator's key); x writes the pack to a file.
All text is shown as plain text: nothing an agency typed is read as markup.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.padding import Padding
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Header, Input, OptionList, Static
from textual.widgets.option_list import Option

from marac_tui.pack.wording import counted
from marac_tui.tui.widgets.footer import SteadyFooter
from marac_tui.tui.widgets.literal import clean

HEADING = "bold"
MATCH_PREFIX = "match:"


def _t(text: str, style: str = "", indent: int = 0) -> Any:
    """A line of the brief; wrapped lines keep its indent."""
    line = Text(clean(text), style=style)
    return Padding(line, (0, 0, 0, indent)) if indent else line


def brief_lines(pack: Any) -> list[tuple[str | None, Any]]:
    """The pack as (option id, line) pairs; a match line's id names its two records."""
    from marac_tui.pack import wording as w

    lines: list[tuple[str | None, Any]] = []

    def head(text: str) -> None:
        lines.append((None, _t(text, HEADING)))

    def item(text: str, style: str = "", indent: int = 2) -> None:
        lines.append((None, _t(text, style, indent)))

    if not pack.contributors:
        head("Nothing shared on this case yet: press a to add an agency's meeting export or sealed file.")
    if pack.earlier_actions:
        head(f"Actions from the last meeting not done ({len(pack.earlier_actions)})")
        for action in pack.earlier_actions:
            person, heading, text, owner, due, status = w.earlier_cells(action)
            item(f"• {person} · {heading}: {text} — {owner}, due {due}, {status}")
    head(f"Who is not round the table ({len(pack.absent)})")
    for absent in pack.absent:
        item(f"• {absent.agency}: {absent.why}")
    if not pack.absent:
        item("Every expected agency sent research.", "italic")
    head(f"Agencies in this pack ({len(pack.contributors)})")
    for c in pack.contributors:
        basis = f" · sharing: {c.sharing_basis}" if c.sharing_basis else ""
        item(f"• {c.agency} — {c.representative or 'no name'} · {c.flow}, {c.state} · from {c.origin}{basis}")
    for person in pack.people:
        head(f"{person.key}: {person.name}")
        item(w.identity_line(person), "italic")
        if person.matches:
            item("Why these records are one person (c confirm · s split)", "bold")
            for link in person.matches:
                lines.append((f"{MATCH_PREFIX}{link.a}|{link.b}", _t(f"⇄ {w.match_line(person, link)}", indent=4)))
        item(f"Risks ({len(person.risks)})", "bold")
        for risk in person.risks:
            note = "" if risk.addressed else " — NO ACTION addresses it"
            item(f"• {risk.title}{note}", indent=4)
            for raised in risk.raised_by:
                item(f"{raised.agency}: {w.evidence_text(raised.evidence)}", indent=6)
        if person.conflicts:
            item(f"Where agencies disagree ({len(person.conflicts)})", "bold")
            for conflict in person.conflicts:
                item(f"• {conflict.label}", indent=4)
                for stance in conflict.stances:
                    item(w.stance_text(stance), indent=6)
        if person.not_checked:
            item(f"Not checked by any agency ({len(person.not_checked)})", "bold")
            for area, text in w.unchecked_by_area(person):
                item(f"• {area}: {text}", indent=4)
        item("Proposed actions", "bold")
        for group in person.actions:
            for action in group.actions:
                owners, due, status, by = w.action_cells(action)
                item(f"• {group.title}: {action.text} — owner {owners}, due {due}, {status} (from {by})", indent=4)
        if not person.actions:
            item("None proposed by any agency.", "italic")
        if person.unaddressed:
            item("Risks no action addresses: " + "; ".join(person.unaddressed), "bold")
        for other in person.other_cases:
            item(f"Also in another case: {w.other_case_line(other)}")
    for note in pack.notes:
        lines.append((None, _t(f"Note: {note}", "italic")))
    return lines


class PathScreen(ModalScreen[str | None]):
    """One line to type (a file, a key, a case reference); Enter gives it, Esc cancels."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(self, title: str, default: str, keys: str = "Enter to go on · Esc to cancel") -> None:
        super().__init__(classes="chooser")
        self.heading = title
        self.default = default
        self.keys = keys

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.heading, classes="dialog-title", markup=False)
            yield Input(self.default, id="pack-path")
            yield Static(self.keys, classes="keys", markup=False)

    @on(Input.Submitted)
    def _chosen(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip() or None)


class ChairScreen(Screen[None]):
    """The meeting pack for one case."""

    TITLE = "Meeting pack"
    BINDINGS = [
        Binding("c", "confirm_match", "Confirm"),
        Binding("s", "split_match", "Split"),
        Binding("a", "add_file", "Add file"),
        Binding("x", "export_pack", "Export"),
        Binding("r", "rebuild", "Rebuild"),
        Binding("escape", "close", "Home"),
    ]

    def __init__(self, store: Any, case_ref: str) -> None:
        super().__init__()
        self.store = store
        self.case_ref = case_ref
        self.pack: Any = None
        self.files: list[Path] = []  # other agencies' meeting exports and sealed files (a: add one)
        self.identity: Any = None  # the coordinator's key, asked for at the first sealed file

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="chair"):
            yield Static("Building the pack…", id="chair-status", markup=False)
            yield OptionList(id="chair-brief")
        yield SteadyFooter()

    def on_mount(self) -> None:
        self.sub_title = " ".join(self.case_ref.split())[:40]
        self.query_one("#chair-brief", OptionList).focus()
        self.rebuild()

    @work(thread=True, exclusive=True, group="pack")
    def rebuild(self) -> None:
        """Gather and brief the case off the UI thread."""
        from marac_tui.pack import make_pack

        try:
            made = make_pack(self.case_ref, self.store, self.files, self.identity)
        except Exception as exc:  # noqa: BLE001 - a damaged file or list is shown, never a crash
            self.app.call_from_thread(self.notify, str(exc), title="Cannot build the pack", severity="error",
                                      markup=False)  # fmt: skip
            return
        self.app.call_from_thread(self._show, made.pack, made.refused)

    def _show(self, pack: Any, refused: list[str]) -> None:
        for line in refused:  # a file that cannot go in is named, and left out
            self.notify(line, title="Not added", severity="error", timeout=15, markup=False)
        bad = {line.split(": ", 1)[0] for line in refused}
        self.files = [f for f in self.files if str(f) not in bad]
        if refused:
            self.rebuild()
            return
        self.pack = pack
        brief = self.query_one("#chair-brief", OptionList)
        keep = brief.highlighted
        brief.clear_options()
        brief.add_options([Option(text, id=key) for key, text in brief_lines(pack)])
        if keep is not None and keep < brief.option_count:
            brief.highlighted = keep
        elif brief.option_count:
            brief.highlighted = 0
        conflicts = sum(len(p.conflicts) for p in pack.people)
        date = f"{pack.marac_date:%d %b %Y}" if pack.marac_date else "no date"
        status = " · ".join([pack.case_ref, f"MARAC {date}", counted(len(pack.contributors), "agency", "agencies"),
                             counted(len(pack.people), "alleged perpetrator", "alleged perpetrators"),
                             counted(conflicts, "conflict", "conflicts"),
                             counted(len(pack.absent), "expected agency", "expected agencies") + " absent"])
        self.query_one("#chair-status", Static).update(Text(clean(status)))

    def action_rebuild(self) -> None:
        self.rebuild()

    def action_add_file(self) -> None:
        """Add another agency's meeting export (JSON) or sealed file to the pack."""
        self.app.push_screen(PathScreen("Add a meeting export (.json) or a sealed file (.age):", ""), self._added)

    def _added(self, path: str | None) -> None:
        from marac_tui.pack.sealed import is_sealed

        if not path:
            return
        file = Path(path).expanduser()
        try:
            with open(file, "rb") as handle:
                sealed = is_sealed(handle.read(64))
        except OSError as exc:
            self.notify(f"{file}: cannot read it: {exc.strerror or exc}", title="Not added", severity="error",
                        markup=False)  # fmt: skip
            return
        self.files.append(file)
        if sealed and self.identity is None:
            self.app.push_screen(PathScreen("It is sealed: your key (NAME.key) to open it:", ""), self._key_given)
            return
        self.rebuild()

    def _key_given(self, path: str | None) -> None:
        from marac_tui.errors import UserError
        from marac_tui.pack.sealed import load_identity

        if path:
            try:
                self.identity = load_identity(Path(path).expanduser())
            except UserError as exc:
                self.notify(str(exc), title="Key not read", severity="error", markup=False)
        self.rebuild()

    def _match(self) -> tuple[str, str] | None:
        brief = self.query_one("#chair-brief", OptionList)
        index = brief.highlighted
        key = brief.get_option_at_index(index).id if index is not None else None
        if not key or not key.startswith(MATCH_PREFIX):
            self.notify("Move to a match line (⇄) first, under 'Why these records are one person'.", markup=False)
            return None
        a, _, b = key[len(MATCH_PREFIX) :].partition("|")
        return a, b

    def _decide(self, kind: str) -> None:
        from marac_tui.pack.decisions import load_decisions, replace_decision, save_decisions
        from marac_tui.pack.model import Decision

        pair = self._match()
        if pair is None:
            return
        try:
            decisions = replace_decision(load_decisions(self.store, self.case_ref), Decision(kind=kind, a=pair[0],  # type: ignore[arg-type]
                                                                                          b=pair[1]))  # fmt: skip
            save_decisions(self.store, self.case_ref, decisions)
        except Exception as exc:  # noqa: BLE001 - e.g. a read-only store folder: shown, nothing changed
            self.notify(str(exc), title="Not saved", severity="error", markup=False)
            return
        said = "Confirmed: one person." if kind == "confirm" else "Split: two people from now on."
        self.notify(said, markup=False)
        self.rebuild()

    def action_confirm_match(self) -> None:
        self._decide("confirm")

    def action_split_match(self) -> None:
        self._decide("split")

    def action_export_pack(self) -> None:
        from marac_tui.tui.screens.home import ChooseScreen

        if self.pack is None:
            return
        choices = [("docx", Text("Word document (.docx)")), ("md", Text("Markdown (.md)")), ("json", Text("JSON (.json)"))]
        self.app.push_screen(ChooseScreen("Write the meeting pack as…", choices), self._format_chosen)

    def _format_chosen(self, fmt: str | None) -> None:
        if fmt is None:
            return
        stem = "".join(c if c.isalnum() or c in "-_" else "-" for c in self.case_ref.strip()) or "case"
        default = str(Path.cwd() / f"{stem}-pack.{fmt}")
        keys = "Enter to write (0600, never over an existing file) · Esc to cancel"
        self.app.push_screen(PathScreen(f"Write the pack ({fmt}) to:", default, keys), lambda path: self._write(fmt, path))

    def _write(self, fmt: str, path: str | None) -> None:
        if path is None or self.pack is None:
            return
        self._write_file(fmt, path, self.pack)

    @work(thread=True, group="pack-export")
    def _write_file(self, fmt: str, path: str, pack: Any) -> None:
        from marac_tui.export.writer import write_private
        from marac_tui.pack.render import render_pack

        try:
            written = write_private(Path(path), render_pack(pack, fmt))
        except Exception as exc:  # noqa: BLE001 - refused (exists, no folder, disk full): shown
            self.app.call_from_thread(self.notify, str(exc), title="Not written", severity="error", markup=False)
            return
        self.app.call_from_thread(self.notify, f"Wrote {written}", title="Meeting pack", markup=False)

    def action_close(self) -> None:
        self.dismiss(None)


def case_choices(store: Any) -> list[tuple[str, Text]]:
    """The store's case references (training runs aside), newest first, with their agencies."""
    cases: dict[str, list[Any]] = {}
    for summary in store.list():
        if summary.case_ref.strip() and not summary.training:
            cases.setdefault(summary.case_ref.strip(), []).append(summary)
    choices = []
    for case_ref, rows in cases.items():
        flows = ", ".join(dict.fromkeys(r.flow for r in rows))
        label = Text.assemble((clean(case_ref[:40]), "bold"), f"  {counted(len(rows), 'submission', 'submissions')}: {clean(flows)}")
        choices.append((case_ref, label))
    return choices


OTHER_CASE = "\x00other"  # the chooser's "another case reference" entry (no case ref starts with NUL)


def open_meeting_pack(screen: Any, store: Any) -> None:
    """Ask which case (one in the store, or another typed in), then show its pack."""
    from marac_tui.tui.screens.home import ChooseScreen

    try:
        choices = case_choices(store)
    except Exception as exc:  # noqa: BLE001 - a damaged store is reported, not a crash
        screen.notify(str(exc), title="Cannot list", severity="error", markup=False)
        return
    choices.append((OTHER_CASE, Text("Another case reference… (then add the agencies' files with a)", style="italic")))

    def show(case_ref: str | None) -> None:
        if case_ref and case_ref.strip():
            screen.app.push_screen(ChairScreen(store, case_ref.strip()))

    def chosen(case_ref: str | None) -> None:
        if case_ref == OTHER_CASE:
            screen.app.push_screen(PathScreen("The case reference, e.g. MC-2026-0142:", ""), show)
        else:
            show(case_ref)

    screen.app.push_screen(ChooseScreen("Meeting pack: which case?", choices), chosen)
