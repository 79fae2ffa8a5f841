"""The review in plain mode: every answer and its gaps as lines (the app's review rows), and from
there: change an answer by its number, export, or finalise — each with a confirmation.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from marac_tui.cli import describe_error
from marac_tui.errors import UserError
from marac_tui.plain.commands import Command
from marac_tui.plain.render import spoken
from marac_tui.submission import SubmissionState

if TYPE_CHECKING:
    from marac_tui.plain.session import Session

FORMATS = (
    ("docx", "Word research form"),
    ("md", "Markdown"),
    ("json", "JSON"),
    ("csv", "CSV row, for the coordinator's list"),
)
AUDIENCES = (
    ("meeting", "The meeting: withheld answers left out"),
    ("internal", "Internal: everything, with the reasons for withholding"),
)


def default_path(submission: Any, fmt: str, audience: str) -> Path:
    """A file name that holds no user text: the submission id, the audience and the format."""
    return Path.cwd() / f"marac-{str(submission.id)[:8]}-{audience}.{fmt}"


class Reviewer:
    """Review, export and finalise for one session."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.lines = session.lines
        self.interview = session.interview

    @property
    def finalised(self) -> bool:
        return self.interview.submission.state is SubmissionState.finalised

    def run(self, read_only: bool = False) -> bool:
        """Show the review and take the next step; True if the interview moved (an answer to change)."""
        keys = self.show()
        while True:
            locked = read_only or self.finalised
            options = (
                "export, summary or quit"
                if locked
                else "a number to change that answer, gaps, export, finalise, summary, or Enter to go back to the questions"
            )
            self.lines.say(f"Review: type {options}.")
            typed = self.session.read("Review: type export, summary or quit." if locked else "Review: type a number, export, finalise, or Enter.")
            words = " ".join(typed.text.lower().split())
            if typed.command is Command.review:
                keys = self.show()
            elif words == "gaps":
                keys = self.show(only_gaps=True)
            elif words == "export":
                self.export()
            elif words in ("finalise", "finalize") and not locked:
                self.finalise()
            elif locked:
                self.session.error("this submission is finalised and read only: type export, summary or quit")
            elif typed.command is Command.back or (typed.command is None and not words):
                return False
            elif words.isdigit() and 1 <= int(words) <= len(keys):
                item_id, perpetrator = keys[int(words) - 1]
                self.interview.jump(item_id, perpetrator or 0)
                return True
            else:
                self.session.error(
                    f"type a number from 1 to {len(keys)} to change that answer, export, finalise, or Enter to go back"
                )

    def rows(self) -> list[Any]:
        from marac_tui.training.check import practice_check
        from marac_tui.tui.screens.review_rows import review_rows

        try:
            findings = practice_check(self.interview.submission, self.interview.flow)
        except Exception:  # noqa: BLE001 - advice never stops the review (a trainer's broken word list)
            findings = []
        return review_rows(self.interview, findings)

    def show(self, only_gaps: bool = False) -> list[tuple[str, int | None]]:
        """Say every row (or only those with a gap); answers are numbered so one can be changed.
        Returns the numbered keys (the same numbers either way)."""
        from marac_tui.tui.screens.review_rows import gap_summary

        rows = self.rows()
        keys: list[tuple[str, int | None]] = []
        sub = self.interview.submission
        state = "Finalised, read only" if self.finalised else "Draft"
        if sub.training:
            state = f"Training run, fictional case {sub.training}. {state}"
        self.lines.blank()
        self.lines.say(f"Review of {sub.case_ref}. {state}. Gaps: {gap_summary(rows)}")
        for row in rows:
            text = row_text(row)
            if row.heading:
                if not only_gaps:
                    self.lines.say(text if text.endswith((".", "?", ")")) else f"{text}.")
                continue
            numbered = row.key is not None and row.key not in keys and not text.startswith("Risk: ")
            if numbered:
                keys.append(row.key)
                text = f"{len(keys)}. {text}"
            if row.gaps or not only_gaps:
                self.lines.say(text)
        self.lines.say("End of the review." + ("" if only_gaps else " Type gaps to hear only the answers with a gap."))
        return keys

    # --- export ---------------------------------------------------------------------------------

    def export(self) -> None:
        from marac_tui.export import export_submission

        sub = self.interview.submission
        fmt = self._pick("Which format?", FORMATS)
        audience = self._pick("Who is it for?", AUDIENCES)
        suggested = default_path(sub, fmt, audience)
        self.lines.say(f"Save to which file? Enter for {suggested}")
        typed = self.session.read("Type a file name, or Enter for the one offered.")
        path = Path(typed.text.strip()).expanduser() if typed.text.strip() else suggested
        label = dict(FORMATS)[fmt]
        copy = "the meeting copy" if audience == "meeting" else "the internal copy"
        if not self._confirm(f"Write {copy} as {label} to {path}? (y/n)"):
            self.lines.say("Not exported.")
            return
        try:
            written = export_submission(sub, fmt, audience, path, force=False)
        except (UserError, OSError, ValueError) as exc:
            self.session.error(f"not written: {describe_error(exc)}")
            return
        self.lines.say(f"Written: {written}")

    def _pick(self, question: str, choices: tuple[tuple[str, str], ...]) -> str:
        self.lines.say(question)
        for n, (_value, label) in enumerate(choices, 1):
            self.lines.say(f"{n}. {label}")
        self.lines.say("Type a number, or Enter for 1.")
        while True:
            typed = self.session.read(f"{question} Type a number from 1 to {len(choices)}.")
            words = typed.text.strip()
            if not words and typed.command is None:
                return choices[0][0]
            if words.isdigit() and 1 <= int(words) <= len(choices):
                return choices[int(words) - 1][0]
            self.session.error(f"type a number from 1 to {len(choices)}")

    def _confirm(self, question: str) -> bool:
        self.lines.say(question)
        typed = self.session.read(question)
        return typed.command is None and typed.text.strip().lower() in ("y", "yes")

    # --- finalise -------------------------------------------------------------------------------

    def finalise(self) -> None:
        from marac_tui.tui.screens.review_rows import gap_counts

        gaps = sum(gap_counts(self.rows()).values())
        remaining = {0: "No gaps remain.", 1: "1 gap remains."}.get(gaps, f"{gaps} gaps remain.")
        self.lines.say(f"{remaining} Finalising locks the submission against changes; reopening it later needs a recorded reason.")
        if not self._confirm("Finalise now? Type y to finalise, or n to keep it as a draft."):
            self.lines.say("Not finalised: it is still a draft.")
            return
        session = self.session
        sub = self.interview.submission
        if not session.saver.save(self.interview):
            self.session.error("not finalised: the last answers are not saved yet; try again")
            return
        try:
            with self.lines.busy():
                saved = session.store.finalise(str(sub.id))
        except (UserError, OSError) as exc:
            self.session.error(f"not finalised: {describe_error(exc)}")
            return
        sub.state = saved.state
        sub.updated_at = saved.updated_at
        self.interview.on_change = None
        self.lines.say("Finalised: the submission is locked against changes.")


def row_text(row: Any) -> str:
    """A review row as lines to be heard: a gap said once ('Not checked, a gap'), dates in full."""
    lines = spoken(row.prompt.plain).split("\n")
    out: list[str] = []
    for line in lines:
        if line.strip().startswith("⚠ "):
            gap = line.strip()[2:]
            if out and out[-1].strip() == gap:
                out[-1] = f"{out[-1]}: a gap."
                continue
            line = line.replace("⚠ ", "Gap: ")
        out.append(line)
    text = "\n".join(out)
    return text.replace("! ", "Risk: ", 1) if text.startswith("! ") else text
