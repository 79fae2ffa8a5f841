"""Errors that are the user's to fix: shown as one line, exit code 2, never a traceback."""


class UserError(Exception):
    """A refused command or bad input; the message names what was wrong and where."""

    exit_code = 2
