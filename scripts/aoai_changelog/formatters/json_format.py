"""JSON: `{"from", "to", "summary", "changes"}`, validated by schema/diff.schema.json.

Keys are sorted; the header is indented, and each change sits on one line: readable in a terminal
and on GitHub, diff-friendly in changelog/, and fast (the C encoder does each line).
"""

from __future__ import annotations

import json

from ..changes import DiffResult
from ..jsonout import canonical_json


def render(result: DiffResult) -> str:
    data = result.to_json()
    head = canonical_json({k: v for k, v in data.items() if k != "changes"}).rstrip()[:-1].rstrip()
    lines = [json.dumps(c, sort_keys=True, ensure_ascii=False) for c in data["changes"]]
    body = ",\n".join(lines)
    return head + ',\n "changes": [\n' + body + ("\n" if body else "") + "]\n}\n"
