"""JSON: `{"from", "to", "summary", "changes"}`, validated by schema/diff.schema.json.

Keys are sorted; the header is indented, and each change sits on one line: readable in a terminal
and on GitHub, diff-friendly in changelog/, and fast (the C encoder does each line).

With `nested_by_reference` (the committed changelog/diffs/*.json), the members of an added or
removed subtree are not spelled out: their root carries `identity` and `nested` (a count), and
`"nested_in": "features.json"` says where they are listed, once for all diffs (see nesting.py).
The summary still counts every change.
"""

from __future__ import annotations

import json

from ..changes import DiffResult
from ..jsonout import canonical_json
from ..nesting import nest

NESTED_IN = "features.json"


def render(result: DiffResult, nested_by_reference: bool = False) -> str:
    data = result.to_json()
    head_data = {k: v for k, v in data.items() if k != "changes"}
    changes = data["changes"]
    if nested_by_reference:
        kept, counts = nest(result.changes)
        changes = []
        for change in kept:
            item = change.to_json()
            if id(change) in counts:
                item["identity"], item["nested"] = change.identity, counts[id(change)]
            changes.append(item)
        head_data["nested_in"] = NESTED_IN
    head = canonical_json(head_data).rstrip()[:-1].rstrip()
    lines = [json.dumps(c, sort_keys=True, ensure_ascii=False) for c in changes]
    body = ",\n".join(lines)
    return head + ',\n "changes": [\n' + body + ("\n" if body else "") + "]\n}\n"
