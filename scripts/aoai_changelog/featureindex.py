"""The feature index (`changelog/features.json`): every element of every version, where it is
present and how its attributes changed. `has` and `history` answer from it, never from specs/.

File layout (one element per line, so that git diffs and GitHub stay readable):

    {"format": 1,
     "versions": ["2024-02-01", ...],          # the timeline; positions are used below
     "elements": {
       "<identity>": {"key": newest spelling, "kind", "operation", "location", "name",
                      "present": [[first, last], ...],          # runs of version positions
                      "states": [[position, attrs], ...]},      # attrs where they changed
       ...}}
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable

from .errors import UserError

if TYPE_CHECKING:  # `has` imports this module: keep its start-up light
    from .surface import Element, Surface

FORMAT = 1


def element_name(element: Element) -> str:
    """The bare name a user types: a field or parameter name, an enum value, a variant label, a path."""
    if element.kind == "operation":
        return element.key.split(" ", 1)[1]
    if element.kind == "enum":
        return element.key.rsplit("=", 1)[1] if "=" in element.key else element.key
    last = element.key.rsplit(" ", 1)[-1]
    while last.endswith(("[]", "{}")):
        last = last[:-2]
    if last.endswith(">") and "<" in last:
        return last[last.rindex("<") + 1:-1]
    return last.rsplit(".", 1)[-1].rsplit(">", 1)[-1]


def _runs(positions: list[int]) -> list[list[int]]:
    runs: list[list[int]] = []
    for pos in positions:
        if runs and runs[-1][1] == pos - 1:
            runs[-1][1] = pos
        else:
            runs.append([pos, pos])
    return runs


def build_index(timeline: list[str], surfaces: Iterable[Surface]) -> dict:
    entries: dict[str, dict[str, Any]] = {}
    for position, surface in enumerate(surfaces):
        for identity, element in surface.elements.items():
            entry = entries.get(identity)
            if entry is None:
                entry = entries[identity] = {"positions": [], "states": []}
            entry["positions"].append(position)
            # The newest spelling wins (surfaces come in timeline order).
            entry.update(key=element.key, kind=element.kind, operation=element.operation,
                         location=element.location, name=element_name(element))
            if not entry["states"] or entry["states"][-1][1] != element.attrs:
                entry["states"].append([position, element.attrs])
    elements = {}
    for identity in sorted(entries):
        entry = entries[identity]
        elements[identity] = {
            "key": entry["key"], "kind": entry["kind"], "operation": entry["operation"],
            "location": entry["location"], "name": entry["name"],
            "present": _runs(entry["positions"]), "states": entry["states"],
        }
    return {"format": FORMAT, "versions": list(timeline), "elements": elements}


def dump_index(index: dict) -> str:
    """Deterministic JSON with one element per line."""
    head = json.dumps({"format": index["format"], "versions": index["versions"]}, ensure_ascii=False)[:-1]
    lines = [head + ', "elements": {']
    items = list(index["elements"].items())
    for i, (identity, entry) in enumerate(items):
        comma = "," if i < len(items) - 1 else ""
        lines.append(json.dumps(identity, ensure_ascii=False) + ": " + json.dumps(entry, sort_keys=True, ensure_ascii=False) + comma)
    lines.append("}}")
    return "\n".join(lines) + "\n"


def load_index(path: Path) -> dict:
    try:
        data = json.loads(Path(path).read_bytes())
    except FileNotFoundError:
        raise UserError(f"{path}: no feature index (run `aoai-changelog build`)") from None
    except json.JSONDecodeError as exc:
        raise UserError(f"{path}: malformed feature index at line {exc.lineno}: {exc.msg}") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise UserError(f"{path}: not a feature index of format {FORMAT} (run `aoai-changelog build`)")
    return data
