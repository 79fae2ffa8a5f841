"""Plain mode: the interview as a line-by-line conversation for screen readers, braille displays
and scripts. The same engine and store as the app; no colour, no cursor movement, no redraws.

`lines` reads and writes whole lines (terminal-safe), `commands` knows the command words,
`provenance_line` reads the "how do you know?" line, `render` says things in words, `answers`
asks one question by kind, `session` runs the conversation, `review` the review, export and
finalise, and `start` opens a session (new, resumed, or training).
"""
