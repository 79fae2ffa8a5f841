"""The Textual app: it owns the store and pushes screens; the screens do the rest."""

from __future__ import annotations

import gc
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from textual import work
from textual.app import App
from textual.binding import Binding

from marac_tui.tui.themes import apply_saved_theme, remember_theme_changes
from marac_tui.tui.type_ahead import TypeAheadApp

if TYPE_CHECKING:
    from textual.command import Provider
    from textual.screen import Screen

    from marac_tui.flow.spec import Flow
    from marac_tui.store import Store
    from marac_tui.submission import Submission


def marac_commands() -> type[Provider]:
    """The command palette's provider, imported when the palette first opens (Textual calls this)."""
    from marac_tui.tui.commands import MaracCommands

    return MaracCommands


class MaracApp(TypeAheadApp):
    """MARAC perpetrator research, as a conversation."""

    CSS_PATH = ["app.tcss", "screens.tcss"]
    TITLE = "marac-tui"
    COMMANDS = App.COMMANDS | {marac_commands}
    BINDINGS = [Binding("question_mark,f1", "help", "Help")]  # F1 also works while typing in a field

    def __init__(self, store: Store | None = None, *, root: Path | None = None, training: str | None = None,
                 agency: str | None = None, cursor_blink: bool = True) -> None:  # fmt: skip
        super().__init__()
        self.store = store
        self.root = Path(root) if root is not None else getattr(store, "root", None)
        self.training = training
        self.training_agency = agency  # the agency's part of a multi-agency scenario (a flow name)
        self.cursor_blink = cursor_blink
        self._frozen = False  # start-up's objects are out of the collector's way (on_home_screen_listed)
        apply_saved_theme(self)

    def on_home_screen_listed(self) -> None:
        """Start-up is over once the home screen shows the whole list. What is alive then (Textual's
        own objects, the list) lives as long as the app, so the cyclic collector stops scanning it
        again and again: with 10,000 submissions listed, each full collection took 0.1 s, a stall
        under a key typed into the filter. Undone when the app ends."""
        if not self._frozen:
            self._frozen = True
            gc.freeze()

    def on_unmount(self) -> None:
        if self._frozen:
            self._frozen = False
            gc.unfreeze()

    @property
    def open_store(self) -> Store:
        """The unlocked store: every screen after the passphrase prompt runs only once it is open."""
        if self.store is None:
            raise RuntimeError("the store is not open yet")
        return self.store

    def get_default_screen(self) -> Screen[object]:
        """With an open store, the home screen is the first screen: one screen to build and paint."""
        if self.store is None:
            return super().get_default_screen()
        from marac_tui.tui.screens.home import HomeScreen

        return HomeScreen(self.store)

    def on_mount(self) -> None:
        remember_theme_changes(self)
        if self.store is not None:
            self._check_store()
        if self.store is None:
            from marac_tui.tui.screens.passphrase import PassphraseScreen

            self.push_screen(PassphraseScreen(self.root), self._unlocked)
        elif self.training:
            self.start_training(self.training, self.training_agency)

    def _unlocked(self, store: Store | None) -> None:
        if store is None:
            self.exit(message="marac-tui: the store stayed locked; nothing was read or changed")
            return
        self.store = store
        # after the passphrase screen's worker has returned (this runs inside its call_from_thread)
        self.call_later(self._check_store)
        self.call_later(self._home)

    def _home(self) -> None:
        from marac_tui.tui.screens.home import HomeScreen

        self.push_screen(HomeScreen(self.open_store))
        if self.training:
            self.start_training(self.training, self.training_agency)

    @work(thread=True, group="startup-notices", exit_on_error=False)
    def _check_store(self) -> None:
        """Permission and store-health warnings as notices (off the UI thread, after the first screen)."""
        from marac_tui.tui.startup_notices import startup_notices

        for notice in startup_notices(self.store):
            self.call_from_thread(self.notify, notice, title="Store warning", severity="warning", timeout=20,
                                  markup=False)  # fmt: skip

    def action_help(self) -> None:
        from marac_tui.tui.screens.help import HelpScreen

        self.push_screen(HelpScreen())

    # --- opening submissions (used by the home screen and the command palette) ----------------

    def start_submission(self, flow_name: str) -> None:
        from marac_tui.submission import FlowRef, Submission

        flow = self._flow(flow_name)
        if flow is not None:
            submission = Submission(flow=FlowRef(name=flow.name, version=flow.version, title=flow.title))
            self._open(submission, flow)

    def start_training(self, scenario: str, agency: str | None = None) -> None:
        """A new training run of `scenario` (for a multi-agency one, `agency`'s part), opened on its brief."""
        from marac_tui.training.scenarios import start_training

        try:
            submission = start_training(self.store, scenario, agency)
        except Exception as exc:  # noqa: BLE001 - unknown or broken scenario: one line, no traceback
            self.notify(str(exc), title="Training", severity="error", markup=False)
            return
        flow = self._flow(submission.flow.name)
        if flow is not None:
            self._open(submission, flow, brief=self._brief(scenario, submission.flow.name))

    def open_submission(self, submission_id: str) -> None:
        from marac_tui.submission import SubmissionState

        try:
            submission = self.open_store.load(submission_id)
        except Exception as exc:  # noqa: BLE001 - a damaged file is named, never a crash
            self.notify(str(exc), title="Cannot open", severity="error", markup=False)
            return
        flow = self._flow(submission.flow.name)
        if flow is None:
            return
        brief = None
        if submission.training:
            brief = self._brief(submission.training, submission.flow.name)
        if submission.state is SubmissionState.finalised:
            read_only = "this submission is finalised; reopen it (marac-tui reopen) to change it"
            self._open(submission, flow, read_only=read_only, review=True, brief=brief)
        else:
            self._open(submission, flow, brief=brief)

    def _flow(self, name: str) -> Flow | None:
        from marac_tui.flow.loader import load_named

        try:
            return load_named(name)
        except Exception as exc:  # noqa: BLE001 - a broken flow file is reported, not a traceback
            self.notify(str(exc), title="Cannot load the flow", severity="error", markup=False)
            return None

    @staticmethod
    def _brief(scenario: str, flow_name: str) -> str | None:
        """The brief a training run opens on: the referral, and its agency's own part of it."""
        try:
            from marac_tui.training.scenarios import load_scenario

            loaded = load_scenario(scenario)
            return loaded.brief_for(flow_name if loaded.multi_agency else None)
        except Exception:  # noqa: BLE001 - the brief is a help, not a condition for opening the draft
            return None

    def _open(self, submission: Submission, flow: Flow, *, read_only: str | None = None, review: bool = False,
              brief: str | None = None) -> None:  # fmt: skip
        from marac_tui.engine.interview import Interview
        from marac_tui.store.errors import SubmissionLocked
        from marac_tui.tui.screens.interview import InterviewScreen

        lock = None
        if read_only is None:
            try:
                lock = self.open_store.acquire(str(submission.id))
            except SubmissionLocked as exc:
                read_only = str(exc)
        interview = Interview(flow, submission)
        screen = InterviewScreen(interview, self.open_store, read_only=read_only, lock=lock, brief=brief)
        self.push_screen(screen)
        if review:
            screen.call_after_refresh(screen.action_review)

    async def action_quit(self) -> None:
        """Quit once every open interview has saved; one that cannot save stays open (and says why).
        No interview open means the interview screen was never imported: quitting does not load it."""
        interview = sys.modules.get("marac_tui.tui.screens.interview")
        for screen in self.screen_stack:
            if interview is not None and isinstance(screen, interview.InterviewScreen) and not screen.close_out():
                return
        self.exit()


def build_app(store: Store | None = None, *, training: str | None = None, agency: str | None = None,
              root: Path | None = None, cursor_blink: bool = True) -> MaracApp:  # fmt: skip
    """The app for the CLI, `serve`, tests and benchmarks. With no store, it asks for the passphrase of
    the encrypted store at `root` first. `training` opens a training run (`agency`: its part)."""
    return MaracApp(store, root=root, training=training, agency=agency, cursor_blink=cursor_blink)
