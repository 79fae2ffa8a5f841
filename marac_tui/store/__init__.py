"""Saving submissions: crash-safe TinyDB files, edit locks, encryption at rest, audit trail."""

from marac_tui.store.audit import AuditEntry
from marac_tui.store.errors import (
    CorruptFile,
    PassphraseNeeded,
    StoreError,
    SubmissionExists,
    SubmissionFinalised,
    SubmissionLocked,
    WrongPassphrase,
)
from marac_tui.store.locks import EditLock, LockInfo
from marac_tui.store.store import Store, Summary

__all__ = [
    "AuditEntry",
    "CorruptFile",
    "EditLock",
    "LockInfo",
    "PassphraseNeeded",
    "Store",
    "StoreError",
    "SubmissionExists",
    "SubmissionFinalised",
    "SubmissionLocked",
    "Summary",
    "WrongPassphrase",
]
