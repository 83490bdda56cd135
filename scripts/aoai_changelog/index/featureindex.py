"""The feature index (`changelog/features.json`): every element of every version, where it is
present and how its attributes changed. `has` and `history` answer from it, never from specs/.

Timelines: `versions` (every version, in order) and, for each version with dated revisions, its
revisions (`v1`: v1@2025-08-01 … v1@2026-06-01), so that "when did X appear in v1" has an answer in
dates. One element appears once, with its presence and states on each timeline it is part of.

File layout (one element per line, so that git diffs and GitHub stay readable):

    {"format": 2,
     "timelines": {"versions": ["2024-02-01", ...], "v1": ["v1@2025-08-01", ...], ...},
     "labels": {"v1@2025-08-01": {"date", "title", "commit"}, ...},
     "attrs": [{...}, ...],                    # every distinct attribute set, once
     "elements": {
       "<identity>": {"kind", "key" (newest spelling, when it differs from the identity),
                      "present": {"versions": [[first, last], ...], "v1": [...]},   # runs of positions
                      "states": {"versions": [[position, attrs index], ...], ...}},  # where attrs changed
       ...}}
"""

from __future__ import annotations

import json
from pathlib import Path

from ..errors import UserError

TYPE_CHECKING = False  # `has` imports this module: not even `typing` on its start-up path

if TYPE_CHECKING:  # `has` imports this module: keep its start-up light
    from typing import Any

    from ..surface import Surface

FORMAT = 2
MAIN = "versions"


def _runs(positions: list[int]) -> list[list[int]]:
    runs: list[list[int]] = []
    for pos in positions:
        if runs and runs[-1][1] == pos - 1:
            runs[-1][1] = pos
        else:
            runs.append([pos, pos])
    return runs


def build_index(timelines: dict[str, list[tuple[str, Surface]]], labels: dict[str, dict] | None = None) -> dict:
    """`timelines` maps a timeline name to its [(id, surface)] in order; `versions` comes first.

    Works on the surfaces' rows (attributes as canonical JSON text): equal attribute sets are equal
    strings, so nothing is parsed or re-serialized per element."""
    entries: dict[str, dict[str, Any]] = {}
    for timeline, members in timelines.items():
        for position, (_member_id, surface) in enumerate(members):
            for identity, (key, kind, _op, _loc, attrs, _parent) in surface.rows.items():
                entry = entries.get(identity)
                if entry is None:
                    entry = entries[identity] = {"positions": {}, "states": {}, "key": key, "kind": kind}
                entry["positions"].setdefault(timeline, []).append(position)
                states = entry["states"].setdefault(timeline, [])
                if timeline == MAIN:
                    # The newest spelling on the main timeline wins.
                    entry["key"], entry["kind"] = key, kind
                if not states or states[-1][1] != attrs:
                    states.append([position, attrs])
    _spell_as_operation(entries)
    # Attribute sets repeat a lot ({"type": "string"}): store each once, refer to it by position.
    texts = sorted({attrs for e in entries.values() for states in e["states"].values() for _, attrs in states})
    position_of = {text: i for i, text in enumerate(texts)}
    elements = {}
    for identity in sorted(entries):
        entry = entries[identity]
        elements[identity] = {
            "kind": entry["kind"],
            "present": {t: _runs(p) for t, p in entry["positions"].items()},
            "states": {t: [[pos, position_of[attrs]] for pos, attrs in states]
                       for t, states in entry["states"].items()},
        }
        if entry["key"] != identity:  # only paths with parameters spell their key differently
            elements[identity]["key"] = entry["key"]
    return {
        "format": FORMAT,
        "timelines": {name: [member_id for member_id, _ in members] for name, members in timelines.items()},
        "labels": dict(sorted((labels or {}).items())),
        "attrs": [json.loads(text) for text in texts],
        "elements": elements,
    }


def _spell_as_operation(entries: dict) -> None:
    """Every element of an operation is spelled with the operation's own (newest) key, also one
    that left before a path parameter was renamed: one operation, one name, one site page."""
    for identity, entry in entries.items():
        if entry["kind"] == "operation":
            continue
        method, shape, _rest = identity.split(" ", 2)
        operation = entries.get(f"{method} {shape}")
        if operation is None:
            continue
        own = " ".join(entry["key"].split(" ", 2)[:2])
        if own != operation["key"]:
            entry["key"] = operation["key"] + entry["key"][len(own):]


def dump_index(index: dict) -> str:
    """Deterministic JSON with one element per line."""
    head = json.dumps({"format": index["format"], "labels": index["labels"], "timelines": index["timelines"]},
                      ensure_ascii=False, sort_keys=True)[:-1]
    lines = [head + ', "attrs": [']
    attrs = index["attrs"]
    # Element and attribute lines without the spaces after `,` and `:` (1.5 MB of the file).
    compact = (",", ":")
    lines += [json.dumps(a, sort_keys=True, ensure_ascii=False, separators=compact)
              + ("," if i < len(attrs) - 1 else "")
              for i, a in enumerate(attrs)]
    lines.append('], "elements": {')
    items = list(index["elements"].items())
    for i, (identity, entry) in enumerate(items):
        comma = "," if i < len(items) - 1 else ""
        lines.append(json.dumps(identity, ensure_ascii=False) + ":"
                     + json.dumps(entry, sort_keys=True, ensure_ascii=False, separators=compact) + comma)
    lines.append("}}")
    return "\n".join(lines) + "\n"


def load_index(path: str | Path) -> dict:
    try:
        data = json.loads(Path(path).read_bytes())
    except FileNotFoundError:
        raise UserError(f"{path}: no feature index (run `aoai-changelog build`)") from None
    except json.JSONDecodeError as exc:
        raise UserError(f"{path}: malformed feature index at line {exc.lineno}: {exc.msg}") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise UserError(f"{path}: not a feature index of format {FORMAT} (run `aoai-changelog build`)")
    return data
