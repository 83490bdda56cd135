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


class Counter:
    """One terminal line, `label [i/total] name`, drawn again at each step; nothing when stderr is
    not a terminal or this process is silenced. For work whose steps do not come from one iterable
    (the cold build's queue of surfaces, shared with a child)."""

    def __init__(self, label: str, total: int):
        self.label, self.total, self.width = label, total, 0
        self.stream = None if _SILENT or not sys.stderr.isatty() else sys.stderr

    def step(self, index: int, name: object) -> None:
        if self.stream is not None:
            line = f"{self.label} [{index}/{self.total}] {name}"
            self.stream.write("\r" + line.ljust(self.width))
            self.stream.flush()
            self.width = len(line)

    def close(self) -> None:
        if self.stream is not None and self.width:
            self.stream.write("\r" + " " * self.width + "\r")
            self.stream.flush()


def progress(items: Iterable[T], label: str, total: int | None = None) -> Iterator[T]:
    """Yield `items`, drawing `label [i/total] item` on one terminal line as it goes."""
    if _SILENT or not sys.stderr.isatty():
        yield from items
        return
    items = list(items)
    counter = Counter(label, len(items) if total is None else total)
    for index, item in enumerate(items, 1):
        counter.step(index, item[0] if isinstance(item, tuple) else item)
        yield item
    counter.close()
