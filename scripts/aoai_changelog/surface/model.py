"""Element and Surface: what the rest of the pipeline (diff, index, site) works with."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# Element kinds, in the order a reader expects them.
KINDS = ("operation", "parameter", "body", "header", "field", "variant", "enum")


@dataclass(frozen=True, slots=True)
class Element:
    """One thing a user can ask about.

    key        human-readable, e.g. `POST /chat/completions request stream_options.include_usage`
    identity   what makes two versions' elements "the same": the key with the operation's path
               reduced to its shape (`/batches/{}`) and path parameters by position, so that the
               deployment prefix and renamed path parameters never look like removals
    """

    key: str
    identity: str
    kind: str
    operation: str
    location: str
    attrs: dict[str, Any] = field(default_factory=dict)
    parent: str = ""  # identity of the enclosing element ('' for operations)

    def to_json(self) -> dict:
        return {"key": self.key, "kind": self.kind, "operation": self.operation, "location": self.location, "attrs": self.attrs}


class Surface:
    """All elements of one snapshot, by identity."""

    def __init__(self, version: str, elements: dict[str, Element]):
        self.version = version
        self.elements = elements

    def __len__(self) -> int:
        return len(self.elements)

    def operations(self) -> list[Element]:
        return sorted((e for e in self.elements.values() if e.kind == "operation"), key=lambda e: e.key)

    def counts(self) -> dict[str, int]:
        counts = {kind: 0 for kind in KINDS}
        for element in self.elements.values():
            counts[element.kind] += 1
        return counts
