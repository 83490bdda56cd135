"""Markdown for GitHub and the site: summary table, then one section per operation."""

from __future__ import annotations

from ..diff import DiffResult
from .escaping import md_code, md_text
from .nesting import nest
from .presentation import LEVEL_BADGE, by_operation, location_title, operation_source, subject_and_rest, version_label

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator

    from ..diff.changes import Change


def _line(change: Change) -> str:
    """`KEY`: what happened — the key as code (it holds `_`, `<`, `[]`), the rest as text. Both come
    from the documents: escaped, so that no name or value becomes markup, HTML or a link."""
    subject, rest = subject_and_rest(change)
    return f"{md_code(subject)}{md_text(rest)}"


def render(result: DiffResult, heading_level: int = 1, nested_by_reference: bool = False) -> str:
    return "".join(chunks(result, heading_level, nested_by_reference))


def chunks(result: DiffResult, heading_level: int = 1, nested_by_reference: bool = False) -> Iterator[str]:
    """The lines of `render`, one at a time (a large diff is written without holding all its text).

    With `nested_by_reference` (the committed changelog/diffs/*.md), the members of an added or
    removed subtree are counted on their root's line instead of listed (the JSON diff says where
    they are listed: see nesting.py)."""
    if not nested_by_reference:
        result.require_every_change("a listing of every change")
    h = "#" * heading_level
    s = result.summary()
    src, dst = md_text(version_label(result.source)), md_text(version_label(result.target))
    out = [
        f"{h} {src} → {dst}",
        "",
        "| changes | added | removed | changed | breaking "
        "| operations added | operations removed | operations changed |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
        f"| {s['total']} | {s['added']} | {s['removed']} | {s['changed']} | {s['breaking']} | "
        f"{s['operations']['added']} | {s['operations']['removed']} | {s['operations']['changed']} |",
        "",
    ]
    if not result.changes:
        out.append("No changes.")
    yield from (line + "\n" for line in out)
    if not result.changes:
        return
    changes, nested = nest(result.changes, result.left_out) if nested_by_reference else (result.changes, {})
    for operation, locations in by_operation(changes):
        where = operation_source(result, operation)
        yield f"{h}# {md_code(operation)}" + (f" ({md_text(where)})" if where else "") + "\n\n"
        for location, changes in locations:
            yield f"**{md_text(location_title(location))}**\n\n"
            for change in changes:
                flag = " **breaking**" if change.breaking else ""
                members = nested.get(id(change))
                more = f" · with {members} nested element{'s' if members > 1 else ''}" if members else ""
                yield f"- {LEVEL_BADGE[change.level]}{flag} {_line(change)} · {md_code(change.rule)}{more}\n"
            yield "\n"
