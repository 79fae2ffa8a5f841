"""Saving submissions: the TinyDB-backed store."""

from marac_tui.store.store import Store, Summary

__all__ = ["Store", "Summary"]
