"""What the store refuses, as one-line user errors (exit 2, never a traceback)."""

from __future__ import annotations

from pathlib import Path

from marac_tui.errors import UserError


class StoreError(UserError):
    """Something about the store the user has to know or fix."""


class PassphraseNeeded(StoreError):
    """The store is encrypted and no passphrase was given."""


class WrongPassphrase(StoreError):
    """The passphrase does not open this store; nothing was read or changed."""


class CorruptFile(StoreError):
    """A store file cannot be read back; it is left exactly as it is."""

    def __init__(self, path: Path, problem: str) -> None:
        self.path = Path(path)
        self.problem = problem
        super().__init__(
            f"{path}: damaged ({problem}); nothing was changed and the last good copy is kept "
            "- run `marac-tui doctor --repair`"
        )


class SubmissionLocked(StoreError):
    """Another live process (or window) is editing this submission."""

    def __init__(self, submission_id: str, holder: str) -> None:
        self.submission_id = submission_id
        self.holder = holder
        super().__init__(
            f"submission {submission_id[:8]} is being edited by {holder}; it is open read-only here"
        )


class SubmissionFinalised(StoreError):
    """A finalised submission is locked against changes until it is reopened."""


class SubmissionExists(StoreError):
    """An import would overwrite a submission already in the store."""
