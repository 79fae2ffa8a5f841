"""marac-tui: guided, structured perpetrator research for MARAC representatives."""

__version__ = "0.1.0"
