"""Outputs for the meeting: JSON (and, through `render`, the other formats)."""
