"""Widgets of the interview: transcript, answer inputs by kind, provenance strip, sidebar, guidance."""
