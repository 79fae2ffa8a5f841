"""Plain mode and the store: two alleged perpetrators (with a long answer over two lines and an
action of one's own) compared with the app; a failed save said in one line and tried again; an
encrypted store."""

from __future__ import annotations

import io
from pathlib import Path

from marac_tui.engine.interview import Interview
from marac_tui.flow.loader import load_named
from marac_tui.plain.lines import Lines
from marac_tui.plain.session import Session
from marac_tui.store import Store
from marac_tui.submission import Basis
from tests.plain_support import assert_no_escapes, case, run_piped, same_as_the_app, stored

TWO_PEOPLE = (
    case(perpetrators=2)
    .answer("full_name", "Corvin Ashdale")
    .command("rest not checked all")                       # the first person's research: not checked
    .actions("none", ("2", "Daily patrols past the victim's address", "Eastmere Police"))  # an action of one's own
    .answer("full_name", "Maud Ashdale", perpetrator=1)
    .answer("date_of_birth", "12/06/1961", "opinion", perpetrator=1)
    .answer("address", "Flat 2\\\n3 Mill Yard", perpetrator=1)  # a long answer on two lines
    .lines
)


def test_two_perpetrators_a_long_answer_and_an_own_action_as_in_the_app(tmp_path: Path) -> None:
    shown = same_as_the_app(tmp_path, TWO_PEOPLE)
    assert "Personal details, for alleged perpetrator 1 of 2." in shown
    assert "Personal details, for alleged perpetrator 2 of 2." in shown
    assert "Added: Disrupt: Daily patrols past the victim's address (Eastmere Police)." in shown
    submission = stored(tmp_path / "plain")
    first, second = (p.answers for p in submission.perpetrators)
    [own] = first["actions"].value
    assert len(own.pop("id")) == 8  # a stable id, as every action has
    assert own == {"heading": "disrupt", "text": "Daily patrols past the victim's address", "agency": "Eastmere Police",
                   "addresses": [], "status": "proposed", "history": []}  # fmt: skip
    assert second["full_name"].value == "Maud Ashdale" and second["date_of_birth"].basis is Basis.opinion
    assert second["address"].value == "Flat 2\n3 Mill Yard"


class FlakyStore(Store):
    """A store whose disk is full for the first `failures` saves."""

    failures = 2

    def save(self, submission, changes=(), actor=None):  # type: ignore[no-untyped-def]
        if self.failures:
            self.failures -= 1
            raise OSError(28, "No space left on device")
        super().save(submission, changes, actor)


def session_on(store: Store, script: list[str]) -> tuple[Session, io.StringIO]:
    out = io.StringIO()
    lines = Lines(io.StringIO("".join(f"{line}\n" for line in script)), out)
    interview = Interview(load_named("police"))
    return Session(interview, store, lines), out


def test_a_failed_save_is_one_line_and_the_next_answer_saves_everything(data_dir: Path) -> None:
    store = FlakyStore(data_dir)
    session, out = session_on(store, [*case().lines[:3], "quit"])
    assert session.run() == 0
    text = out.getvalue()
    failed = [line for line in text.splitlines() if line.startswith("Error:")]
    assert failed == ["Error: not saved: no space left on device. Your answers are kept here; "
                      "the next answer tries again."] * 2  # fmt: skip
    saved = Store(data_dir).load(str(session.interview.submission.id))
    assert (saved.header.case_ref, saved.header.representative) == ("MC-2026-0917", "DC Ottilie Brambleworth")
    changes = [e.item for e in Store(data_dir).history(str(saved.id)) if e.event == "change"]
    assert changes == ["case_ref", "marac_date", "representative"]  # the failed saves' changes kept


def test_leaving_while_the_disk_is_full_says_so_and_exits_1(data_dir: Path) -> None:
    store = FlakyStore(data_dir)
    store.failures = 10
    session, out = session_on(store, case().lines[:1])
    assert session.run() == 1
    assert out.getvalue().rstrip().endswith("End of input. Error: the last changes to "
                                            f"{str(session.interview.submission.id)[:8]} could not be saved.")  # fmt: skip


def test_an_encrypted_store_with_its_passphrase(tmp_path: Path) -> None:
    data_dir = tmp_path / "store"
    Store.init(data_dir, passphrase="correct horse battery")
    result = run_piped(data_dir, ["--flow", "police"], [*case().lines[:3], "quit"], MARAC_TUI_PASSPHRASE="correct horse battery")
    assert result.returncode == 0, result.stderr
    assert_no_escapes(result.stdout)
    assert Store(data_dir, passphrase="correct horse battery").list()[0].case_ref == "MC-2026-0917"
    refused = run_piped(data_dir, ["--flow", "police"], ["MC-1"])
    assert refused.returncode == 2 and refused.stdout == ""
    assert refused.stderr.startswith("marac-tui: error: the store at ") and "encrypted" in refused.stderr
