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
    from collections.abc import Callable, Iterable, Mapping

    from ..surface import Surface
    from ..surface.model import Group

FORMAT = 2
MAIN = "versions"


def build_index(timelines: Mapping[str, Iterable[tuple[str, Surface]]], labels: dict[str, dict] | None = None) -> dict:
    """`timelines` maps a timeline name to its (id, surface) pairs in order; `versions` comes first.

    Each timeline is read once, in order, and no surface is kept: the build passes generators that
    load one surface at a time, so its memory holds the index and one surface, never all 56.
    Works on the surfaces' rows (attributes as canonical JSON text): equal attribute sets are equal
    strings, so nothing is parsed or re-serialized per element. Of a memoised surface only what
    changed since the member before is read: operations whose group (Surface.by_operation) has a
    new digest, and in those the rows that differ."""
    # identity -> its element as the file has it, but "key" always there and attributes as text:
    # {"key", "kind", "present": {timeline: runs [[first, last], ...]}, "states": {timeline: [[position, text]]}}
    entries: dict[str, dict] = {}
    members: dict[str, list[str]] = {}
    for timeline, pairs in timelines.items():
        ids = members[timeline] = []
        reader = _TimelineReader(entries, timeline)
        for position, (member_id, surface) in enumerate(pairs):
            ids.append(member_id)
            groups = surface.by_operation()
            if groups is None:  # not memoised: every row
                reader.step_rows(surface.rows, position)
            else:
                reader.step_groups(groups, position)
            del surface, groups  # the generator's next surface replaces it, not joins it
        reader.close_all(len(ids) - 1)
    _spell_as_operation(entries)
    # Attribute sets repeat a lot ({"type": "string"}): store each once, refer to it by position.
    texts = sorted({attrs for e in entries.values() for states in e["states"].values() for _, attrs in states})
    position_of = {text: i for i, text in enumerate(texts)}
    elements = {}
    for identity in sorted(entries):
        entry = elements[identity] = entries.pop(identity)  # each entry is its element, not a copy beside it
        for timeline_states in entry["states"].values():
            for state in timeline_states:
                state[1] = position_of[state[1]]
        if entry["key"] == identity:  # only paths with parameters spell their key differently
            del entry["key"]
    return {
        "format": FORMAT,
        "timelines": members,
        "labels": dict(sorted((labels or {}).items())),
        "attrs": [json.loads(text) for text in texts],
        "elements": elements,
    }


class _TimelineReader:
    """One timeline's runs and states by identity, each also in its entry (as the first sight of
    the identity on the timeline puts them there).

    Members are stepped through in order. A run is open (its last position not yet known) while
    its identity is present in the groups of the member before: a member whose operation has the
    same group then costs nothing, and a changed group only the rows that differ."""

    def __init__(self, entries: dict[str, dict], timeline: str):
        self.entries, self.timeline, self.main = entries, timeline, timeline == MAIN
        self.present: dict[str, list[list[int]]] = {}
        self.states: dict[str, list[list]] = {}
        self.previous: dict[str, Group] = {}  # the groups of the member before, their runs open

    def step_groups(self, groups: dict[str, Group], position: int) -> None:
        previous = self.previous
        for operation, group in groups.items():
            before = previous.get(operation)
            if before is None and self.present.keys().isdisjoint(group.rows):
                self._open_new(group.rows, position)
            elif before is None:
                for identity, row in group.rows.items():
                    self._open(identity, row, position)
            elif before.digest != group.digest:
                rows = before.rows
                for identity, row in group.rows.items():
                    was = rows.get(identity)
                    if was is None:
                        self._open(identity, row, position)
                    elif was != row:
                        self._change(identity, row, position)
                self._end(rows.keys() - group.rows.keys(), position - 1)
        for operation in previous.keys() - groups.keys():
            self._end(previous[operation].rows, position - 1)
        self.previous = groups

    def step_rows(self, rows: dict[str, tuple], position: int) -> None:
        """A member without groups: every row, present at `position` only."""
        self.close_all(position - 1)
        for identity, row in rows.items():
            self._open(identity, row, position)
            self.present[identity][-1][1] = position

    def close_all(self, position: int) -> None:
        """End every open run at `position`."""
        for group in self.previous.values():
            self._end(group.rows, position)
        self.previous = {}

    def _end(self, identities: Iterable[str], position: int) -> None:
        """End the open runs of `identities` at `position`, their last."""
        present = self.present
        for identity in identities:
            present[identity][-1][1] = position

    def _open_new(self, rows: dict[str, tuple], position: int) -> None:
        """_open for rows this timeline has not seen yet (all of a timeline's first member), in one
        loop: _first_sight written out, which makes the index 3-5% faster (measured: a call per row)."""
        entries, present, states, timeline, main = self.entries, self.present, self.states, self.timeline, self.main
        for identity, row in rows.items():
            runs = present[identity] = [[position, position]]
            changes = states[identity] = [[position, row[4]]]
            entry = entries.get(identity)
            if entry is None:
                entries[identity] = {"key": row[0], "kind": row[1], "present": {timeline: runs},
                                     "states": {timeline: changes}}
            else:
                entry["present"][timeline] = runs
                entry["states"][timeline] = changes
                if main:  # the newest spelling on the main timeline wins
                    entry["key"], entry["kind"] = row[0], row[1]

    def _open(self, identity: str, row: tuple, position: int) -> None:
        """`identity` present at `position`: a new run, or the one that ended just before goes on."""
        runs = self.present.get(identity)
        if runs is None:
            self._first_sight(identity, row, position)
            return
        end = runs[-1]
        if end[1] == position - 1:
            end[1] = position
        else:
            runs.append([position, position])
        self._change(identity, row, position)

    def _first_sight(self, identity: str, row: tuple, position: int) -> None:
        """`identity` seen on this timeline for the first time, at `position`."""
        runs = self.present[identity] = [[position, position]]
        changes = self.states[identity] = [[position, row[4]]]
        entry = self.entries.get(identity)
        if entry is None:
            self.entries[identity] = {"key": row[0], "kind": row[1], "present": {self.timeline: runs},
                                      "states": {self.timeline: changes}}
            return
        entry["present"][self.timeline] = runs
        entry["states"][self.timeline] = changes
        if self.main:  # the newest spelling on the main timeline wins
            entry["key"], entry["kind"] = row[0], row[1]

    def _change(self, identity: str, row: tuple, position: int) -> None:
        """`identity` present at `position` with `row`: a new state if its attributes changed."""
        states = self.states[identity]
        if states[-1][1] != row[4]:
            states.append([position, row[4]])
        if self.main:
            entry = self.entries[identity]
            entry["key"], entry["kind"] = row[0], row[1]


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
        key = entry["key"]
        own = " ".join(key.split(" ", 2)[:2])
        if own != operation["key"]:
            entry["key"] = operation["key"] + key[len(own):]


# Element and attribute lines without the spaces after `,` and `:` (1.5 MB of the file).
_COMPACT = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode


def _entry_encoder() -> Callable[[dict], str]:
    """_COMPACT for the 61,000 element entries. `encode` makes a C encoder per call (a third of the
    time for entries this small); one made without circular checks (entries are trees) is reused."""
    from json import encoder

    make = getattr(encoder, "c_make_encoder", None)
    if make is None:  # no C accelerator (another Python): the plain way
        return _COMPACT

    def refuse(value: object) -> object:
        raise TypeError(f"not JSON: {type(value).__name__}")

    try:  # (markers, default, encoder, indent, key and item separators, sort_keys, skipkeys, allow_nan)
        chunks = make(None, refuse, encoder.encode_basestring, None, ":", ",", True, False, True)
    except TypeError:  # a Python whose accelerator takes other arguments
        return _COMPACT
    return lambda entry: "".join(chunks(entry, 0))


def dump_index(index: dict) -> str:
    """Deterministic JSON with one element per line."""
    head = json.dumps({"format": index["format"], "labels": index["labels"], "timelines": index["timelines"]},
                      ensure_ascii=False, sort_keys=True)[:-1]
    lines = [head + ', "attrs": [']
    attrs = index["attrs"]
    lines += [_COMPACT(a) + ("," if i < len(attrs) - 1 else "") for i, a in enumerate(attrs)]
    lines.append('], "elements": {')
    if index["elements"]:
        lines.append(element_lines(index))
    lines += ["}}", ""]  # the final newline joined in, not added to a copy of the 18 MB text
    return "\n".join(lines)


def element_lines(index: dict) -> str:
    """The element lines of features.json, joined."""
    from json.encoder import encode_basestring as string  # ensure_ascii=False, as the other lines

    entry_text = _entry_encoder()
    last = len(index["elements"]) - 1
    return "\n".join(string(identity) + ":" + entry_text(entry) + ("," if i < last else "")
                     for i, (identity, entry) in enumerate(index["elements"].items()))


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
