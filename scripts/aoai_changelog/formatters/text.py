"""Plain text for terminals: one line per change, grouped by operation."""

from __future__ import annotations

from ..diff import DiffResult
from .escaping import terminal_text
from .presentation import (
    LEVEL_MARK,
    by_operation,
    change_source,
    location_title,
    operation_source,
    subject_and_rest,
    summary_counts,
    version_label,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator


def render(result: DiffResult) -> str:
    return "".join(chunks(result))


def chunks(result: DiffResult) -> Iterator[str]:
    """The lines of `render`, one at a time (a large diff is written without holding all its text)."""
    result.require_every_change("a listing of every change")
    s = result.summary()
    yield (f"{terminal_text(version_label(result.source))} -> {terminal_text(version_label(result.target))}: "
           f"{summary_counts(s)}\n")
    for operation, locations in by_operation(result.changes):
        where = operation_source(result, operation)
        yield "\n" + terminal_text(operation) + (f"  ({terminal_text(where)})" if where else "") + "\n"
        for location, changes in locations:
            yield f"  {terminal_text(location_title(location))}\n"
            for change in changes:
                flag = "BREAKING " if change.breaking else ""
                subject, rest = subject_and_rest(change)
                # Names and values come from the documents: no escape sequence reaches the terminal.
                own = change_source(result, change, where)
                yield (f"  {LEVEL_MARK[change.level]} {flag}{terminal_text(subject)}{terminal_text(rest)}  "
                       f"[{change.rule}]" + (f"  ({terminal_text(own)})" if own else "") + "\n")
