"""JSON: `{"from", "to", "summary", "changes"}` (and `waived` under --ignore), validated by
schema/diff.schema.json.

Keys are sorted; the header is indented, and each change sits on one line: readable in a terminal
and on GitHub, diff-friendly in changelog/, and fast (the C encoder does each line).

With `nested_by_reference` (the committed changelog/diffs/*.json), the members of an added or
removed subtree are not spelled out: their root carries `identity` and `nested` (a count), and
`"nested_in": "features.json"` says where they are listed, once for all diffs (see nesting.py).
The summary still counts every change.
"""

from __future__ import annotations

import json
from typing import Any

from ..diff.changes import DiffResult
from .jsonout import canonical_json
from .nesting import nest

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator


NESTED_IN = "features.json"


def render(result: DiffResult, nested_by_reference: bool = False) -> str:
    return "".join(chunks(result, nested_by_reference))


def chunks(result: DiffResult, nested_by_reference: bool = False) -> Iterator[str]:
    """The text of `render`, piece by piece: a diff with 40,000 changes is written without holding
    every change as a dict, as a line, and the whole text at once (a third of a query's memory)."""
    head_data: dict[str, Any] = {"from": result.source, "to": result.target, "summary": result.summary()}
    if nested_by_reference:
        changes, counts = nest(result.changes, result.left_out)
        head_data["nested_in"] = NESTED_IN
    else:
        result.require_every_change("a listing of every change")
        changes, counts = result.changes, {}
    if result.waived:  # --ignore: what was left out of `changes`, and the waiver (with its reason) that did it
        head_data["waived"] = [{"change": change.to_json(),
                                "waiver": {"rule": w.rule, "key": w.key, "reason": w.reason}}
                               for change, w in result.waived]
    yield canonical_json(head_data).rstrip()[:-1].rstrip() + ',\n "changes": [\n'
    dumps = json.dumps
    for i, change in enumerate(changes):
        item = change.to_json()
        if id(change) in counts:
            item["identity"], item["nested"] = change.identity, counts[id(change)]
        yield (",\n" if i else "") + dumps(item, sort_keys=True, ensure_ascii=False)
    yield "\n]\n}\n" if changes else "]\n}\n"
