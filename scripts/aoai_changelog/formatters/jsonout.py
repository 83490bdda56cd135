"""The one JSON spelling of everything we print or write: sorted keys, 1-space indent, final newline."""

from __future__ import annotations

import json
from typing import Any


def canonical_json(data: Any) -> str:
    return json.dumps(data, sort_keys=True, indent=1, ensure_ascii=False) + "\n"
