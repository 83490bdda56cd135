"""One change between two versions, and the result of a whole diff."""

from __future__ import annotations

from typing import Any

from ..formatters.presentation import LEVEL_ORDER, location_rank

TYPE_CHECKING = False
if TYPE_CHECKING:
    from .scope import Scope


REQUEST_LOCATIONS = ("path", "query", "querystring", "header", "cookie", "request")


class Change:
    """One change. (Plain classes in this module: importing `dataclasses` costs a diff more time
    than comparing two versions does.)

    kind        added | removed | changed
    key         the element's key (in TO's spelling, or FROM's for a removal)
    element     operation | parameter | body | header | field | variant | enum
    location    '' | path | query | header | request | response.200 | response.200.header
    with_parent the enclosing element was added (or removed) too: part of a new (or gone) subtree
    list_lifted an enum value removed because its value lists no values any more (any is accepted)
    before/after the attribute's values (or an element's facts), read-only: shared with the surface
    rule, breaking, level and message (what happened, e.g. "type integer -> string") are set by
    the checker; text is the one-line form "KEY: message". Writers that show the key on its own
    use message, never text cut apart.
    """

    __slots__ = ("kind", "key", "identity", "element", "operation", "location", "attribute", "before", "after",
                 "with_parent", "list_lifted", "rule", "breaking", "level", "message")

    def __init__(self, kind: str, key: str, identity: str, element: str, operation: str, location: str,
                 attribute: str | None = None, before: Any = None, after: Any = None, with_parent: bool = False):
        self.kind, self.key, self.identity, self.element = kind, key, identity, element
        self.operation, self.location, self.attribute = operation, location, attribute
        self.before, self.after, self.with_parent = before, after, with_parent
        self.list_lifted = False
        self.rule, self.breaking, self.level, self.message = "", False, "info", ""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Change) and all(getattr(self, n) == getattr(other, n) for n in self.__slots__)

    def __repr__(self) -> str:
        return f"Change({self.kind} {self.key!r} {self.attribute or ''} {self.rule})"

    @property
    def text(self) -> str:
        """`POST /chat/completions request store: field added`: the change in one line."""
        return f"{self.key}: {self.message}"

    @property
    def side(self) -> str:
        """'request' for what a client sends, 'response' for what it receives, '' for operations."""
        if self.element == "operation":
            return ""
        return "request" if self.location in REQUEST_LOCATIONS else "response"

    def to_json(self) -> dict:
        return {
            "rule": self.rule, "kind": self.kind, "key": self.key, "element": self.element,
            "operation": self.operation, "location": self.location, "attribute": self.attribute,
            "breaking": self.breaking, "level": self.level, "before": self.before, "after": self.after,
            "with_parent": self.with_parent, "text": self.text,
        }


def stored_message(record: dict) -> str:
    """The message of a change as a committed diff stores it (`to_json`). The stored form keeps only
    the one-line `text` ("KEY: message", a published format), so this is the one place that takes
    the message back out of it; every reader of stored diffs goes through here."""
    text, key = record["text"], record["key"]
    return text[len(key) + 2:] if text.startswith(key + ": ") else text


def sort_key(change: Change) -> tuple:
    return (change.operation, location_rank(change.location), change.key, change.attribute or "", change.rule)


class DiffResult:
    """source and target describe FROM and TO ({"id": ..., ...}); changes are sorted."""

    def __init__(self, source: dict, target: dict, changes: list[Change] | None = None):
        self.source, self.target = source, target
        self.changes = changes if changes is not None else []
        # For a side that is a file: where its operations are written (a source_lines.SourceMap,
        # which reads like {operation key: line}).
        self.lines: dict = {"from": {}, "to": {}}
        # Changes left out by waivers (--ignore FILE): [(change, waiver)].
        self.waived: list = []
        # Members of added and removed subtrees that `changes` does not list, counted on their root:
        # {(kind, root identity): count} (a diff made with list_members=False; see diff_facts). The
        # summary counts them, and the committed diffs count them on their root (`nested`).
        self.left_out: dict[tuple[str, str], int] = {}

    def location(self, change: Change) -> tuple[str, int | None] | None:
        """(file, line) where a change shows in the user's files: the new file for what was added
        or changed, the old one for what was removed. None when that side is a version id."""
        sides = [("from", self.source), ("to", self.target)]
        if change.kind != "removed":
            sides.reverse()
        files = [(side, described) for side, described in sides if "file" in described]
        for side, described in files:
            source = self.lines[side]
            if hasattr(source, "element_line"):  # a source_lines.SourceMap
                line = source.element_line(change.operation, change.element, change.key)
            else:
                line = source.get(change.operation)
            if line is not None:
                return described["file"], line
        return (files[0][1]["file"], None) if files else None

    def summary(self) -> dict:
        counts = {"added": 0, "removed": 0, "changed": 0}
        for (kind, _root), count in self.left_out.items():
            counts[kind] += count
        unlisted = sum(self.left_out.values())  # members: never breaking, always info
        levels = {"error": 0, "warning": 0, "info": unlisted}
        for change in self.changes:
            counts[change.kind] += 1
            levels[change.level] += 1
        ops: dict[str, list[str]] = {"added": [], "removed": []}
        for change in self.changes:
            if change.element == "operation" and change.kind in ("added", "removed"):
                ops[change.kind].append(change.operation)
        touched = {c.operation for c in self.changes} - set(ops["added"]) - set(ops["removed"])
        return {
            "total": len(self.changes) + unlisted,
            "breaking": sum(1 for c in self.changes if c.breaking),
            **counts,
            "levels": levels,
            "operations": {
                "added": len(ops["added"]),
                "removed": len(ops["removed"]),
                "changed": len(touched),
            },
        }

    def require_every_change(self, purpose: str) -> None:
        """Raise ValueError when this diff counts members of subtrees instead of listing them
        (`left_out`): `purpose` needs every change."""
        if self.left_out:
            raise ValueError(f"{purpose} needs every change; this diff counts the members of added and removed "
                             "subtrees instead of listing them (made with list_members=False)")

    def filtered(self, breaking_only: bool = False, scope: str | Scope | None = None) -> DiffResult:
        """Only breaking changes, and/or only those in `scope` (a text, or a scope.Scope)."""
        changes = self.changes
        if breaking_only:
            changes = [c for c in changes if c.breaking]
        if isinstance(scope, str):
            from .scope import Scope

            scope = Scope.of(scope)
        if scope:
            self.require_every_change("a scope")
            changes = [c for c in changes if scope(c)]
        narrowed = DiffResult(self.source, self.target, changes)
        narrowed.lines = self.lines
        if not breaking_only:  # members are never breaking
            narrowed.left_out = self.left_out
        return narrowed

    @property
    def breaking(self) -> list[Change]:
        """The breaking changes."""
        return [c for c in self.changes if c.breaking]

    def at_or_above(self, level: str) -> list[Change]:
        """Changes whose level is `level` or more severe (error > warning > info)."""
        rank = LEVEL_ORDER[level]
        return [c for c in self.changes if LEVEL_ORDER[c.level] <= rank]

    def __repr__(self) -> str:
        s = self.summary()
        return (f"DiffResult({self.source.get('id')} -> {self.target.get('id')}: {s['total']} changes, "
                f"{s['breaking']} breaking)")

    def to_json(self) -> dict:
        return {
            "from": self.source,
            "to": self.target,
            "summary": self.summary(),
            "changes": [c.to_json() for c in self.changes],
        }
