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


class Surface:
    """All elements of one snapshot, by identity.

    Two equivalent forms, each made from the other on demand: `elements` ({identity: Element}) for
    readers, and `rows` ({identity: (key, kind, operation, location, attrs as canonical JSON,
    parent)}), plain tuples of strings that unpickle fast and compare without parsing: the
    surface cache stores rows and the diff engine reads them.
    """

    def __init__(self, version: str, elements: dict[str, Element] | None = None, rows: dict[str, tuple] | None = None):
        if elements is None and rows is None:
            raise ValueError("a Surface needs elements or rows")
        self.version = version
        self._elements = elements
        self._rows = rows
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
        if self._rows is None:
            # Shared strings stay shared (interned, or the identity object itself), so that the
            # pickled cache stores each once: smaller and faster to load.
            elements = self.elements
            own = {identity: identity for identity in elements}
            self._rows = {
                own[identity]: (
                    own[identity] if e.key == identity else e.key, sys.intern(e.kind), sys.intern(e.operation),
                    sys.intern(e.location), attrs_text(e.attrs), own.get(e.parent, e.parent),
                )
                for identity, e in elements.items()
            }
        return self._rows

    @property
    def has_rows(self) -> bool:
        return self._rows is not None

    def rows_with_dicts(self) -> dict[str, tuple]:
        """Rows as `rows` has them, but attrs as the element's dict: two surfaces fresh from files
        (elements only) compare so without making canonical text for every element; cached ones
        (rows only) compare their texts without parsing. Texts equal means dicts equal; dicts equal
        but texts not (1 vs 1.0) means no attribute differs, so the diff is the same either way."""
        return {identity: (e.key, e.kind, e.operation, e.location, e.attrs, e.parent)
                for identity, e in self.elements.items()}

    def element(self, identity: str) -> Element:
        """One element, without materializing all of them."""
        if self._elements is not None:
            return self._elements[identity]
        key, kind, operation, location, attrs, parent = self.rows[identity]
        return Element(key, identity, kind, operation, location, self._attrs(attrs), parent)

    def fields(self, identity: str) -> tuple[str, str, str, str, dict[str, Any], str]:
        """(key, kind, operation, location, attrs, parent) of one element, without making an Element
        (the diff engine reads 800,000 of them per build)."""
        if self._elements is not None:
            e = self._elements[identity]
            return e.key, e.kind, e.operation, e.location, e.attrs, e.parent
        key, kind, operation, location, attrs, parent = self.rows[identity]
        return key, kind, operation, location, self._attrs(attrs), parent

    def _attrs(self, text: str) -> dict[str, Any]:
        parsed = self._parsed.get(text)
        if parsed is None:
            parsed = self._parsed[text] = json.loads(text)
        return parsed

    def __len__(self) -> int:
        return len(self._rows) if self._rows is not None else len(self.elements)

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
