"""The public Python API. The command line is a thin layer over these functions.

Each function reads the knowledge from `root` (default: data_root(), a checkout or the data
installed with the package), returns a result object with `to_json()`, and raises a subclass of
ChangelogError on bad input. `has` and `history` answer from the feature index; `diff`, `show` and
`versions` from the snapshots.

Imports stay inside the functions: `has` is on the command line's fast start-up path (no argparse,
json, re or pathlib), and `import aoai_changelog` should cost nothing.

Every command follows the same pattern: a function here with keyword `root`, a result class in
results.py with `to_json()`, a name in __init__.py's _EXPORTS, and a command module that only
parses options, calls the function and prints.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from os import PathLike

    from .diff.changes import DiffResult
    from .index.indexstore import IndexStore
    from .results import (
        CheckReport,
        FeatureAnswer,
        HasResult,
        HistoryResult,
        Match,
        MigrationGuide,
        PreviewReport,
        RevisionsResult,
        ShowResult,
        VersionInfo,
    )
    from .store.catalog import Catalog
    from .store.project import Project

    Root = str | PathLike[str] | None


def data_root(root: Root = None) -> str:
    """The folder the knowledge is read from: `root` if given, else a checkout (the current
    folder or above, $AOAI_CHANGELOG_ROOT, an editable install), else the installed data."""
    from .store.locate import data_root as locate

    return locate(str(root) if root is not None else None)


def _context(root: Root) -> tuple[Project, Catalog]:
    from pathlib import Path

    from .store.catalog import load_catalog
    from .store.project import Project

    project = Project(Path(data_root(root)))
    return project, load_catalog(project.catalog_file, project.schema_dir)


def _text(spec: str | PathLike[str]) -> str:
    """A version id, or a path given as str or PathLike."""
    import os

    return spec if isinstance(spec, str) else os.fspath(spec)


def diff(old: str | PathLike[str], new: str | PathLike[str], *, breaking_only: bool = False,
         scope: str | list[str] | None = None, scope_regex: str | list[str] | None = None,
         ignore: str | PathLike[str] | None = None, root: Root = None) -> DiffResult:
    """What changed from `old` to `new`: version ids, revision ids (`v1@2025-11-07`) or paths to
    OpenAPI 3.x / Swagger 2.0 files (JSON or YAML). Two files need no catalog at all.

    `scope`: only changes whose key contains one of these texts; `scope_regex`: ... matches one of
    these regular expressions. Enum values (`purpose=assistants`) are matched only when the text or
    pattern itself holds `=`. `ignore`: a waivers file (see checker/waivers.py); the changes it covers
    leave `changes` for `waived`."""
    from .diff.scope import Scope
    from .pipeline.compare import compare, needs_catalog

    old, new = _text(old), _text(new)
    project, catalog = _context(root) if needs_catalog(old, new) else (None, None)
    result = compare(project, catalog, old, new)
    result = result.filtered(breaking_only, Scope.of(scope, scope_regex))
    if ignore is not None:
        from .checker.waivers import apply_waivers, load_waivers

        result, waived = apply_waivers(result, load_waivers(_text(ignore)))
        result.waived = waived
    return result


def feature_store(root: Root) -> IndexStore:
    """The feature index of the data folder: look-ups in the text of features.json (indextext.py),
    with the name table `build` writes in a checkout when it is current. Installed data gets no
    table: writing a cache there cost the first query 1.4 s and 190 MB when it held the whole index,
    and the text answers all but bare names in about the time of a table."""
    import os

    from .index.indexstore import open_store
    from .store.locate import cache_dir

    folder = data_root(root)
    return open_store(os.path.join(folder, "changelog", "features.json"), cache_dir(folder))


def _timeline_of(index: IndexStore, version: str) -> str:
    """The timeline that holds `version`: the main one, or a version's revision timeline."""
    if version in index.versions:
        return "versions"
    timeline = version.split("@", 1)[0]
    if "@" in version and version in index.timelines.get(timeline, []):
        return timeline
    from .errors import UnknownVersion

    if "@" in version and timeline in index.timelines:
        raise UnknownVersion(version, index.timelines[timeline], hint=f"; see `aoai-changelog revisions {timeline}`")
    raise UnknownVersion(version, index.versions, hint=", or a revision id such as v1@2025-11-07; see `revisions`")


def _match(index: IndexStore, identity: str) -> Match:
    from .index.queries import is_notable, known_entry, presence, timelines_of
    from .results import Match

    entry = known_entry(index, identity)
    match = {"key": entry["key"], "kind": entry["kind"], "operation": entry["operation"], "location": entry["location"]}
    main = presence(index, identity)
    if main:
        match.update({k: main[k] for k in ("versions", "first_seen", "last_seen", "gaps")})
    else:
        match.update(versions=[], first_seen=None, last_seen=None, gaps=[])
    match["revisions"] = {}
    for timeline in timelines_of(index, identity):
        if timeline != "versions":
            seen = presence(index, identity, timeline)
            if seen is None or not is_notable(index, timeline, seen):
                continue
            for field in ("first_seen", "last_seen"):
                label = index.labels.get(seen[field]) or {}
                seen[field.replace("seen", "date")] = label.get("date")
                seen[field.replace("seen", "title")] = label.get("title")
            match["revisions"][timeline] = {k: v for k, v in seen.items()
                                            if k not in ("key", "kind", "operation", "location")}
    return Match(match)


def feature_answer(index: IndexStore, feature: str, version: str | None = None,
                   channels: dict[str, str] | None = None) -> FeatureAnswer:
    """`has` for one feature on an open index (see has()). `channels` ({version: ga|preview}) ranks
    the operations as `has` does; matches come in that order.

    A name that matches several operations is answered for the best-ranked one (the operation the
    name most likely means, the same whether or not a version is asked): present in `version` only
    when that operation has it. `operations` says, per operation, whether it has it."""
    from .answers.features import find_feature, rank_operations
    from .index.queries import suggestions
    from .results import FeatureAnswer

    timeline = _timeline_of(index, version) if version else "versions"
    identities = find_feature(index, feature)
    if not identities:
        return FeatureAnswer(feature, version, False, [], suggestions(index, feature))
    matches = [_match(index, identity) for identity in identities]
    if version:
        from .index.queries import presence

        for identity, m in zip(identities, matches):
            # From the timeline itself: `revisions` leaves out a dated version's timeline where
            # the element is in every revision (nothing to tell there, but present all the same).
            members = m.versions if timeline == "versions" else (presence(index, identity, timeline) or {}).get(
                "versions", [])
            m.in_version = version in members
    ranked = rank_operations([m.to_json() for m in matches], channels)
    position = {op: i for i, op in enumerate(ranked)}
    matches.sort(key=lambda m: (position[m.operation], m.key))
    if not version:
        return FeatureAnswer(feature, version, True, matches, [], [{"operation": op} for op in ranked])
    has_it = {op: any(m.in_version for m in matches if m.operation == op) for op in ranked}
    operations = [{"operation": op, "in_version": has_it[op]} for op in ranked]
    return FeatureAnswer(feature, version, has_it[ranked[0]], matches, [], operations)


def has(*features: str, version: str | None = None, channel: str | None = None, root: Root = None) -> HasResult:
    """Is this feature present, in `version` or in any version, and since when? With several
    features (or a `channel`, ga or preview): are all of them present together, in one operation?

    A feature is a key (`POST /chat/completions request store`), an operation (`POST /batches`,
    `/batches`), a bare name (`max_completion_tokens`, `wav`) or a field path's tail
    (`stream_options.include_usage`). `version` may be a revision id (`v1@2025-11-07`) for one
    feature. The result is truthy when present."""
    from .results import HasResult

    if not features:
        from .errors import UserError

        raise UserError("has: name at least one feature")
    index = feature_store(root)
    if len(features) > 1 or channel:
        return several_features(index, list(features), version, channel, root=root)
    _, catalog = _context(root)
    channels = {v.id: v.channel for v in catalog.versions}
    return HasResult([feature_answer(index, features[0], version, channels)], version)


def several_features(index: IndexStore, features: list[str], version: str | None = None, channel: str | None = None, *,
                     root: Root = None) -> HasResult:
    """`has A B C` on an open index: all features together, per operation (answers/features.py)."""
    from .answers.features import answer
    from .results import HasResult

    if version and version not in index.versions:
        from .errors import UnknownVersion

        raise UnknownVersion(version, index.versions, hint="; with several features, --in takes a version id")
    _, catalog = _context(root)
    result = answer(index, features, {v.id: v.channel for v in catalog.versions}, channel)
    operations = result["operations"]
    present = bool(operations) and (not version or version in operations[0]["present_in"])
    return HasResult([], version, {**result, "version": version, "present": present})


def history(feature: str, *, root: Root = None) -> HistoryResult:
    """The timeline of every element `feature` names: added, changed (which attributes, from
    what to what), removed, re-added; v1 also in dated upstream revisions."""
    from .answers.features import find_feature
    from .index.queries import history as timeline_history
    from .index.queries import is_notable, known_entry, suggestions, timelines_of
    from .results import ElementHistory, HistoryResult

    index = feature_store(root)
    identities = find_feature(index, feature)
    if not identities:
        return HistoryResult(feature, [], suggestions(index, feature))
    matches = []
    for identity in identities:
        timelines = {}
        for timeline in timelines_of(index, identity):
            events = timeline_history(index, identity, timeline)
            if events is not None and is_notable(index, timeline, events):
                timelines[timeline] = events
        entry = known_entry(index, identity)
        matches.append(ElementHistory(entry["key"], entry["kind"], timelines))
    return HistoryResult(feature, matches, [])


def versions(*, root: Root = None) -> list[VersionInfo]:
    """Every version of the catalog in timeline order, with its operation and element counts."""
    from .results import VersionInfo
    from .store.snapshots import load_surface

    project, catalog = _context(root)
    # The installed data never changes: its changelog/versions.json has the counts, so a fresh
    # install need not compute 17 surfaces. A checkout counts from specs/ (it may be mid-import).
    counted = _packaged_counts(project) if project.packaged else {}
    out = []
    for version in catalog.versions:
        entry = version.to_json()
        if version.id in counted:
            entry["operations"], entry["elements"] = counted[version.id]
        else:
            surface = load_surface(project, catalog, version.id) if project.snapshot_file(version.id).exists() else None
            entry["operations"] = len(surface.operations()) if surface else None
            entry["elements"] = len(surface) if surface else None
        out.append(VersionInfo(entry))
    return out


def _packaged_counts(project: Project) -> dict[str, tuple[int, int]]:
    """{version: (operations, elements)} from the installed changelog/versions.json."""
    import json

    try:
        data = json.loads((project.changelog / "versions.json").read_bytes())
        return {v["id"]: (v["counts"]["operation"], sum(v["counts"].values())) for v in data["versions"]}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}


def show(spec: str | PathLike[str], *, operation: str | None = None, root: Root = None) -> ShowResult:
    """The elements of one version, revision or spec file; `operation`: only elements of operations
    whose key contains this text (case-insensitive)."""
    from .pipeline.compare import needs_catalog
    from .results import ShowResult
    from .store.resolving import resolve_spec
    from .store.snapshots import load_surface

    spec = _text(spec)
    project, catalog = _context(root) if needs_catalog(spec) else (None, None)
    resolved = resolve_spec(project, catalog, spec)
    surface = load_surface(project, catalog, resolved)
    elements = list(surface.elements.values())
    if operation:
        needle = operation.lower()
        elements = [e for e in elements if needle in e.operation.lower()]
    elements.sort(key=lambda e: e.key)
    # A version is shown with its whole catalog entry; a revision or a file as a diff describes it.
    described = resolved.version.to_json() if resolved.kind == "version" and resolved.version else resolved.describe()
    return ShowResult(described, surface.counts(), len(surface.operations()), len(surface), elements, operation)


def revisions(version: str, *, root: Root = None) -> RevisionsResult:
    """The dated upstream revisions of `version` (v1 changes in place), oldest first, each with its
    date, commit, title, whether it was imported, and its change counts."""
    import json

    from .errors import InputFileError
    from .results import RevisionsResult

    project, catalog = _context(root)
    known = catalog.get(version)
    index_file = project.changelog / "revisions" / "index.json"
    try:
        timelines = json.loads(index_file.read_text())["timelines"]
    except FileNotFoundError:
        raise InputFileError(index_file, "missing (run `aoai-changelog build`)") from None
    except (json.JSONDecodeError, KeyError, TypeError):
        raise InputFileError(index_file, "malformed (run `aoai-changelog build`)") from None
    entry = next((t for t in timelines if t["version"] == known.id), None)
    if entry is None or [r["id"] for r in entry["revisions"]] != [r["id"] for r in known.revisions]:
        raise InputFileError(index_file, f"out of date for {known.id} (run `aoai-changelog build`)")
    return RevisionsResult(known.id, entry["revisions"])


def migrate(old: str | PathLike[str], new: str | PathLike[str], *, operations: list[str] | None = None,
            root: Root = None) -> MigrationGuide:
    """A migration guide from `old` to `new` (versions, revisions or files): what a client must
    change, repeated changes stated once; `operations` narrows it to these operations."""
    from .answers.migration import migration_guide
    from .answers.operations import resolve_operations
    from .pipeline.compare import compare_surfaces, needs_catalog
    from .results import MigrationGuide

    old, new = _text(old), _text(new)
    project, catalog = _context(root) if needs_catalog(old, new) else (None, None)
    # A guide counts the members of added and removed subtrees: they are counted, not made.
    result, surfaces = compare_surfaces(project, catalog, old, new, list_members=False)
    wanted = None
    if operations:
        wanted = resolve_operations(list(operations), list(surfaces))
    return MigrationGuide(migration_guide(result, wanted))


def check(body: object, operation: str, *, version: str | None = None, root: Root = None) -> CheckReport:
    """Validate a request body (parsed JSON) against the request schema of `operation` in
    `version`, or in every version; truthy when one accepts it."""
    from .answers.check_versions import check_body
    from .answers.operations import operation_identity_of
    from .results import CheckReport

    identity = operation_identity_of(operation)
    project, catalog = _context(root)
    versions = [version] if version else catalog.ids()
    return CheckReport(check_body(project, catalog, body, identity, versions))


def preview(version: str, *, root: Root = None) -> PreviewReport:
    """What is preview in `version` (header gates, preview path segments, preview-only operations)."""
    from .answers.gates import preview_report
    from .results import PreviewReport

    project, catalog = _context(root)
    return PreviewReport(preview_report(project, catalog, version))
