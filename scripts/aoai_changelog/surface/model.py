"""Element and Surface: what the rest of the pipeline (diff, index, site) works with."""

from __future__ import annotations

import json
import sys
from typing import Any, NamedTuple

# Element kinds, in the order a reader expects them.
KINDS = ("operation", "parameter", "body", "header", "field", "variant", "enum")


class Element(NamedTuple):
    """One thing a user can ask about. (A NamedTuple: cached surfaces unpickle fast.)

    key        human-readable, e.g. `POST /chat/completions request stream_options.include_usage`
    identity   what makes two versions' elements "the same": the key with the operation's path
               reduced to its shape (`/batches/{}`) and path parameters by position, so that the
               deployment prefix and renamed path parameters never look like removals
    attrs      the element's facts, read-only: elements with equal facts share one dict
    """

    key: str
    identity: str
    kind: str
    operation: str
    location: str
    attrs: dict[str, Any]
    parent: str = ""  # identity of the enclosing element ('' for operations)

    def to_json(self) -> dict:
        return {"key": self.key, "kind": self.kind, "operation": self.operation, "location": self.location,
                "attrs": self.attrs}


# One encoder for every call: json.dumps with options makes a new one each time (a build encodes
# 200,000 attribute sets).
_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode


# repr(attrs) -> canonical text. A build encodes 200,000 attribute sets of 1,600 distinct ones, and
# json's encode makes a new C encoder per call: repr (exact for JSON values, so 1, 1.0 and True stay
# apart) finds an equal set's text in a quarter of the time. Bounded: a long-lived process forgets.
_TEXTS: dict[str, str] = {}
_TEXTS_KEPT = 50_000


def attrs_text(attrs: dict) -> str:
    """Canonical JSON of an element's attributes: equal facts, equal text (compared without parsing)."""
    spelled = repr(attrs)
    text = _TEXTS.get(spelled)
    if text is None:
        if len(_TEXTS) >= _TEXTS_KEPT:
            _TEXTS.clear()
        text = _TEXTS[spelled] = sys.intern(_CANONICAL(attrs))
    return text


def rows_of(elements: dict[str, Element | tuple]) -> dict[str, tuple]:
    """Surface rows of elements, in their order. Shared strings stay shared (interned, or the
    identity object itself), so that the pickled cache stores each once: smaller and faster to
    load. A value may already be a row (the walker's replays make them so: surface/walker.py)."""
    own = {identity: identity for identity in elements}
    rows = {}
    for identity, e in elements.items():
        if isinstance(e, Element):
            identity = own[identity]
            rows[identity] = (identity if e.key == identity else e.key, sys.intern(e.kind), sys.intern(e.operation),
                              sys.intern(e.location), attrs_text(e.attrs), own.get(e.parent, e.parent))
        else:
            rows[identity] = e
    return rows


class Group(NamedTuple):
    """The rows of one operation's elements (the operation's own included), as a memoised walk made
    them (surface/memo.py), with the digest of everything they were made from: two groups with one
    digest hold equal rows, so a diff or the feature index can pass over them whole."""

    operation: str  # the operation's identity; every row's identity is it or starts with it and a space
    digest: bytes
    rows: dict[str, tuple]


class Surface:
    """All elements of one snapshot, by identity.

    Two equivalent forms, each made from the other on demand: `elements` ({identity: Element}) for
    readers, and `rows` ({identity: (key, kind, operation, location, attrs as canonical JSON,
    parent)}), plain tuples of strings that unpickle fast and compare without parsing: the
    surface cache stores rows and the diff engine reads them. A memoised surface also has `groups`,
    its rows by operation (see Group), from which `rows` is made when asked for.
    """

    def __init__(self, version: str, elements: dict[str, Element] | None = None, rows: dict[str, tuple] | None = None,
                 groups: list[Group] | None = None):
        if elements is None and rows is None and groups is None:
            raise ValueError("a Surface needs elements, rows or groups")
        self.version = version
        self._elements = elements
        self._rows = rows
        self._groups = groups
        self._by_operation: dict[str, Group] | None = None
        # Attribute texts repeat ({"type":"string"}): each distinct one is parsed once per surface,
        # and the elements read from rows share its dict (attrs are read-only everywhere).
        self._parsed: dict[str, dict[str, Any]] = {}
        self._operations: list[Element] | None = None

    # Each form is made from the other, which __init__ guarantees is present: so `self.rows` read
    # where `_elements` is None (and `self.elements` where `_rows` is None) returns the stored form.

    @property
    def elements(self) -> dict[str, Element]:
        if self._elements is None:
            self._elements = {
                identity: Element(key, identity, kind, operation, location, self._attrs(attrs), parent)
                for identity, (key, kind, operation, location, attrs, parent) in self.rows.items()
            }
        return self._elements

    @property
    def rows(self) -> dict[str, tuple]:
        if self._rows is None and self._groups is not None:
            rows: dict[str, tuple] = {}
            for group in self._groups:
                if rows.keys().isdisjoint(group.rows):  # as always but where two paths have one shape
                    rows.update(group.rows)
                else:
                    for identity, row in group.rows.items():
                        if identity not in rows:  # the first spelling wins, as in one walk
                            rows[identity] = row
            self._rows = dict(sorted(rows.items()))
        if self._rows is None:
            self._rows = rows_of(self.elements)  # type: ignore[arg-type]
        return self._rows

    @property
    def has_rows(self) -> bool:
        return self._rows is not None or self._groups is not None

    @property
    def groups(self) -> list[Group] | None:
        return self._groups

    def by_operation(self) -> dict[str, Group] | None:
        """{operation identity: Group}, when the surface has groups and they split its elements by
        operation: one group per operation. An operation identity is `METHOD shape`, one space: any
        identity starting with it and a space is that operation's, so groups of two operations
        never meet, and a group of one surface meets only the same operation's group of another.
        (A path with a space in it, which an imported document may have, breaks that: None.)"""
        if self._by_operation is None and self._groups is not None:
            found = {group.operation: group for group in self._groups}
            if len(found) == len(self._groups) and all(op.count(" ") == 1 for op in found):
                self._by_operation = found
        return self._by_operation

    def rows_with_dicts(self) -> dict[str, tuple]:
        """Rows as `rows` has them, but attrs as the element's dict: two surfaces fresh from files
        (elements only) compare so without making canonical text for every element; cached ones
        (rows only) compare their texts without parsing. Texts equal means dicts equal; dicts equal
        but texts not are 1 vs 1.0, one JSON number to diff/attributes.py too, or 1 vs true, which
        the engine tells apart (attributes.same_attributes): the diff is the same either way."""
        return {identity: (e.key, e.kind, e.operation, e.location, e.attrs, e.parent)
                for identity, e in self.elements.items()}

    def element(self, identity: str, row: tuple | None = None) -> Element:
        """One element, without materializing all of them. `row`: its row, when the caller holds it
        (from `rows`, a group's rows or rows_with_dicts: attributes as text or as a dict)."""
        if row is None:
            if self._elements is not None:
                return self._elements[identity]
            row = self.rows[identity]
        key, kind, operation, location, attrs, parent = row
        return Element(key, identity, kind, operation, location,
                       self._attrs(attrs) if isinstance(attrs, str) else attrs, parent)

    def _attrs(self, text: str) -> dict[str, Any]:
        parsed = self._parsed.get(text)
        if parsed is None:
            parsed = self._parsed[text] = json.loads(text)
        return parsed

    def __len__(self) -> int:
        return len(self.rows) if self._elements is None else len(self._elements)

    def operations(self) -> list[Element]:
        """The operation elements, by key. Found once per surface: a build's diffs ask each surface
        several times, and the answer is a scan of every element."""
        if self._operations is None:
            if self._elements is None:
                found = [self.element(i) for i, row in self.rows.items() if row[1] == "operation"]
            else:
                found = [e for e in self._elements.values() if e.kind == "operation"]
            self._operations = sorted(found, key=lambda e: e.key)
        return list(self._operations)

    def counts(self) -> dict[str, int]:
        counts = {kind: 0 for kind in KINDS}
        if self._elements is None:
            for row in self.rows.values():
                counts[row[1]] += 1
        else:
            for element in self._elements.values():
                counts[element.kind] += 1
        return counts
