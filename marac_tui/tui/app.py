"""Placeholder replaced by the TUI work."""


def build_app(store):  # noqa: ANN001, ANN201
    raise NotImplementedError
