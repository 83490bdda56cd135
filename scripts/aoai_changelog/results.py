"""The typed results of the public API (aoai_changelog.api). Each has `to_json()`, the exact data
the command line prints with `--format json`.

Plain classes with __slots__, not dataclasses: `has` imports this module, and `dataclasses` alone
costs it a noticeable part of its start-up.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import KeysView
    from typing import Any


class Match:
    """One element a feature names: its key and kind, and where it is present.

    versions/first_seen/last_seen/gaps are on the main timeline of versions; `revisions` maps a
    version that changes in place (v1) to its presence in dated revisions; `in_version` answers
    `has(..., version=V)` (None when no version was asked)."""

    __slots__ = ("key", "kind", "operation", "location", "versions", "first_seen", "last_seen", "gaps",
                 "revisions", "in_version")

    def __init__(self, data: dict):
        self.key: str = data["key"]
        self.kind: str = data["kind"]
        self.operation: str = data["operation"]
        self.location: str = data["location"]
        self.versions: list[str] = data["versions"]
        self.first_seen: str | None = data["first_seen"]
        self.last_seen: str | None = data["last_seen"]
        self.gaps: list[str] = data["gaps"]
        self.revisions: dict[str, dict] = data["revisions"]
        self.in_version: bool | None = data.get("in_version")

    def __repr__(self) -> str:
        return f"Match({self.key!r}, first_seen={self.first_seen!r})"

    def to_json(self) -> dict:
        data = {name: getattr(self, name) for name in self.__slots__}
        if self.in_version is None:
            del data["in_version"]
        return data


class FeatureAnswer:
    """Is one feature present (in `version`, or anywhere), and since when: `has` for one feature."""

    __slots__ = ("feature", "version", "present", "matches", "suggestions", "operations")

    def __init__(self, feature: str, version: str | None, present: bool, matches: list[Match],
                 suggestions: list[str], operations: list[dict] | None = None):
        self.feature, self.version, self.present = feature, version, present
        self.matches, self.suggestions = matches, suggestions
        # The operations the matches fall in, most relevant first: [{"operation", "in_version"?}].
        # `present` (with a version) is the first one's answer: the operation the name most likely means.
        self.operations = operations or []

    def __bool__(self) -> bool:
        return self.present

    def __repr__(self) -> str:
        where = f" in {self.version}" if self.version else ""
        return f"FeatureAnswer({self.feature!r}{where}: {'present' if self.present else 'absent'})"

    def to_json(self) -> dict:
        return {"feature": self.feature, "version": self.version, "present": self.present,
                "operations": self.operations,
                "matches": [m.to_json() for m in self.matches], "suggestions": self.suggestions}


class HasResult:
    """The answer of `has(*features)`. One feature: `answers[0]` (a FeatureAnswer). Several (or a
    channel): `combined`, all of them asked about one operation at a time (see
    answers/features.py: per operation, the versions with all, the oldest, what each version
    lacks); present when the best operation has all of them (in `version`, if given)."""

    __slots__ = ("answers", "version", "combined")

    def __init__(self, answers: list[FeatureAnswer], version: str | None, combined: dict | None = None):
        self.answers, self.version, self.combined = answers, version, combined

    @property
    def present(self) -> bool:
        if self.combined is not None:
            return bool(self.combined["present"])
        return all(a.present for a in self.answers)

    def __bool__(self) -> bool:
        return self.present

    def __repr__(self) -> str:
        if self.combined is not None:
            return f"HasResult({self.combined['features']}: {'present' if self.present else 'absent'})"
        return f"HasResult({', '.join(repr(a) for a in self.answers)})"

    def to_json(self) -> dict:
        if self.combined is not None:
            return self.combined
        return self.answers[0].to_json()


class ElementHistory:
    """The timelines of one element: `timelines` maps `versions` (and a version with dated
    revisions, e.g. `v1`) to {"events": [...], first_seen, last_seen, ...}."""

    __slots__ = ("key", "kind", "timelines")

    def __init__(self, key: str, kind: str, timelines: dict[str, dict]):
        self.key, self.kind, self.timelines = key, kind, timelines

    def events(self, timeline: str = "versions") -> list[dict]:
        """[{"version", "event": added|changed|removed|re-added, ...}] on one timeline."""
        return (self.timelines.get(timeline) or {}).get("events", [])

    def __repr__(self) -> str:
        return f"ElementHistory({self.key!r}, {len(self.events())} events)"

    def to_json(self) -> dict:
        return {"key": self.key, "kind": self.kind, "timelines": self.timelines}


class HistoryResult:
    """`history(feature)`: one ElementHistory per element the feature names (none: `suggestions`)."""

    __slots__ = ("feature", "matches", "suggestions")

    def __init__(self, feature: str, matches: list[ElementHistory], suggestions: list[str]):
        self.feature, self.matches, self.suggestions = feature, matches, suggestions

    def __bool__(self) -> bool:
        return bool(self.matches)

    def to_json(self) -> dict:
        data: dict[str, Any] = {"feature": self.feature, "matches": [m.to_json() for m in self.matches]}
        if not self.matches:
            data["suggestions"] = self.suggestions
        return data


class VersionInfo:
    """One version of the catalog: channel (ga/preview/v1), release date, provenance status, its
    upstream documents and dated revisions, and how many operations and elements it has."""

    __slots__ = ("id", "channel", "release_date", "status", "documents", "revisions", "operations", "elements",
                 "_data")

    def __init__(self, data: dict):
        self._data = data
        self.id: str = data["id"]
        self.channel: str = data["channel"]
        self.release_date: str | None = data.get("release_date")
        self.status: str = data.get("status", "")
        self.documents: list[dict] = data.get("documents", [])
        self.revisions: list[dict] = data.get("revisions", [])
        self.operations: int | None = data.get("operations")
        self.elements: int | None = data.get("elements")

    def __repr__(self) -> str:
        return f"VersionInfo({self.id!r}, {self.channel}, {self.operations} operations)"

    def to_json(self) -> dict:
        return dict(self._data)


class RevisionsResult:
    """The dated upstream revisions of one version, oldest first, with their change counts."""

    __slots__ = ("version", "revisions")

    def __init__(self, version: str, revisions: list[dict]):
        self.version, self.revisions = version, revisions

    def to_json(self) -> dict:
        return {"version": self.version, "revisions": self.revisions}


class ShowResult:
    """The elements of one version (or file): `version` describes it, `elements` are
    Element objects (key, kind, operation, location, attrs), sorted by key. `attrs` are read-only:
    elements with equal attributes share one dict (copy one to change it)."""

    __slots__ = ("version", "counts", "operations", "total", "elements", "operation_filter")

    def __init__(self, version: dict, counts: dict, operations: int, total: int, elements: list,
                 operation_filter: str | None):
        self.version, self.counts, self.operations, self.total = version, counts, operations, total
        self.elements, self.operation_filter = elements, operation_filter

    def to_json(self) -> dict:
        return {"version": self.version, "counts": self.counts, "elements": [e.to_json() for e in self.elements]}


class Report:
    """A report of the answers commands (migrate, check, preview): its data as the command's
    `--format json` prints it, readable as a mapping (`report["results"]`)."""

    __slots__ = ("data",)

    def __init__(self, data: dict):
        self.data = data

    def __getitem__(self, name: str) -> Any:
        return self.data[name]

    def get(self, name: str, default: Any = None) -> Any:
        return self.data.get(name, default)

    def keys(self) -> KeysView[str]:
        return self.data.keys()

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(sorted(self.data))})"

    def to_json(self) -> dict:
        return self.data


class MigrationGuide(Report):
    """`migrate(old, new)`: what a client must change; every breaking change accounted for."""


class CheckReport(Report):
    """`check(body, operation)`: per version, whether the request schema accepts the body, and why not.
    Truthy when at least one checked version accepts it."""

    def __bool__(self) -> bool:
        return any(r.get("result") == "accepted" for r in self.data.get("results", []))


class PreviewReport(Report):
    """`preview(version)`: what is preview in a version (header gates, preview paths) and how to opt in."""
