"""Query sub-commands (versions, show, ...), registered on the main parser."""

from __future__ import annotations


def register(sub) -> None:
    pass
