"""Progress on stderr for long work: a counter when stderr is a terminal, silence otherwise."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")

_SILENT: list[bool] = []


def silence() -> None:
    """No progress from this process (a forked helper: the terminal line is its parent's)."""
    _SILENT.append(True)


def progress(items: Iterable[T], label: str, total: int | None = None) -> Iterator[T]:
    """Yield `items`, drawing `label [i/total] item` on one terminal line as it goes."""
    stream = sys.stderr
    if _SILENT or not stream.isatty():
        yield from items
        return
    items = list(items)
    total = len(items) if total is None else total
    width = 0
    for index, item in enumerate(items, 1):
        name = item[0] if isinstance(item, tuple) else item
        line = f"{label} [{index}/{total}] {name}"
        stream.write("\r" + line.ljust(width))
        stream.flush()
        width = len(line)
        yield item
    stream.write("\r" + " " * width + "\r")
    stream.flush()
