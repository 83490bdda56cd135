"""The dated history of each version, built from its imported revisions.

For v1 and v1-preview (no dated api-version, changed in place) this is their changelog: one entry
per upstream revision, newest first, with the upstream change title. For dated versions it is the
record of amendments made after release. The revisions also form timelines of the feature index
(see featureindex.py), so that `has` and `history` answer "when did X appear in v1" in dates.

Full diffs between revisions are not written to changelog/ (tens of MB for v1 alone); the release
notes list the highlights and name the command that prints the full diff.
"""

from __future__ import annotations

from ..diff.changes import DiffResult
from ..formatters.escaping import md_code, md_text
from ..formatters.jsonout import canonical_json
from ..pipeline.compare import describe, diff_surfaces
from ..progress import progress
from ..store.catalog import Catalog, Version
from ..store.project import Project
from ..store.snapshots import load_surface
from ..surface import Surface
from .feeds import atom_feed

HIGHLIGHTS = 25  # lines of each kind shown per revision in the release notes


def revision_ids(catalog: Catalog) -> dict[str, list[str]]:
    """{version: [revision id, ...]} for every version with two or more imported revisions."""
    wanted = {v.id: [r["id"] for r in catalog.imported_revisions(v.id)] for v in catalog.versions}
    return {version: ids for version, ids in wanted.items() if len(ids) >= 2}


def revision_timelines(project: Project, catalog: Catalog) -> dict[str, list[tuple[str, Surface]]]:
    """{version: [(revision id, surface)]} for every version with two or more imported revisions."""
    wanted = revision_ids(catalog)
    ids = [rid for revisions in wanted.values() for rid in revisions]
    surfaces = {rid: load_surface(project, catalog, rid) for rid in progress(ids, "load revisions")}
    return {version: [(rid, surfaces[rid]) for rid in revisions] for version, revisions in wanted.items()}


def revision_labels(catalog: Catalog) -> dict[str, dict]:
    return {r["id"]: {"date": r["date"], "title": r["title"], "commit": r["commit"]}
            for v in catalog.versions for r in v.revisions if r["imported"]}


def revision_files(catalog: Catalog, timelines: dict[str, list[tuple[str, Surface]]]) -> dict[str, str]:
    """revisions/<version>/README.md (release notes), revisions/<version>/feed.xml (the Atom feed of a
    version that changes in place: v1, v1-preview) and revisions/index.json (every revision)."""
    files: dict[str, str] = {}
    index = []
    for version in catalog.versions:
        members = dict(timelines.get(version.id, []))
        ids = list(members)
        results: dict[str, DiffResult] = {}
        for old, new in zip(ids, ids[1:]):
            # The notes count changes and name their roots: members are only counted.
            results[new] = diff_surfaces(members[old], members[new], describe(catalog, old), describe(catalog, new),
                                         list_members=False)
        previous = None
        items = []
        for revision in version.revisions:
            item = {k: revision[k] for k in ("id", "date", "commit", "title", "canonical", "imported", "reason")}
            if revision["id"] in results:
                item["previous"] = previous
                item["summary"] = results[revision["id"]].summary()
            if revision["imported"]:
                previous = revision["id"]
            items.append(item)
        index.append({"version": version.id, "revisions": items})
        if len(version.revisions) > 1:
            files[f"revisions/{version.id}/README.md"] = release_notes(version, items, results, members)
            if not version.is_dated:
                files[f"revisions/{version.id}/feed.xml"] = atom_feed(version.id, items)
    files["revisions/index.json"] = canonical_json({"timelines": index})
    return files


def release_notes(version: Version, items: list[dict], results: dict[str, DiffResult], surfaces: dict) -> str:
    if version.is_dated:
        title = f"# Amendments to {version.id}"
        intro = (f"{version.id} was changed upstream after it was first published. Each entry is one upstream "
                 "revision of its specification, newest first, compared with the revision before it.")
    else:
        title = f"# {version.id}: dated changelog"
        intro = (f"{version.id} has no dated api-version: Microsoft changes it in place. Each entry is one upstream "
                 "revision of its specification, newest first, compared with the revision before it. "
                 "`aoai-changelog history FEATURE` gives the dates of one feature.")
    out = [title, "", intro, ""]
    for item in reversed(items):
        # The change title is an upstream pull-request title: anyone's text, written as Markdown text.
        out += [f"## {md_text(item['date'])} — "
                f"{md_text(item['title'] or 'upstream revision (no change title recorded)')}", ""]
        meta = f"{md_code(item['id'])} · upstream commit {md_code(item['commit'])}"
        if item["canonical"]:
            meta += f" · the canonical snapshot of {version.id}"
        out += [meta, ""]
        if not item["imported"]:
            out += [f"Not imported: {md_text(item['reason'])}", ""]
            continue
        result = results.get(item["id"])
        if result is None:
            surface = surfaces.get(item["id"])
            if surface is not None:
                out += [f"First importable revision: {len(surface.operations())} operations, "
                        f"{len(surface)} elements.", ""]
            continue
        s = result.summary()
        out += [f"{s['total']} changes ({s['added']} added, {s['removed']} removed, {s['changed']} changed), "
                f"**{s['breaking']} breaking**; operations: {s['operations']['added']} added, "
                f"{s['operations']['removed']} removed, {s['operations']['changed']} changed. "
                "Full diff: " + md_code(f"aoai-changelog diff {item['previous']} {item['id']}"), ""]
        out += _highlights(result)
    return "\n".join(out).rstrip() + "\n"


def _highlights(result: DiffResult) -> list[str]:
    groups = [
        ("Operations added", [c for c in result.changes if c.element == "operation" and c.kind == "added"]),
        ("Operations removed", [c for c in result.changes if c.element == "operation" and c.kind == "removed"]),
        ("Operations moved", [c for c in result.changes if c.rule == "operation-moved"]),
        ("Breaking", [c for c in result.changes if c.breaking and c.element != "operation"]),
        ("New request fields and parameters", [c for c in result.changes if c.kind == "added" and not c.with_parent
                                               and c.side == "request"
                                               and c.element in ("field", "parameter", "variant")]),
        ("New response fields", [c for c in result.changes if c.kind == "added" and not c.with_parent
                                 and c.side == "response" and c.element in ("field", "variant")]),
    ]
    out = []
    for label, changes in groups:
        if not changes:
            continue
        out += [f"**{label}** ({len(changes)})", ""]
        for change in changes[:HIGHLIGHTS]:
            if change.element == "operation" and change.kind != "changed":
                out.append(f"- {md_code(change.operation)}")
            else:
                out.append(f"- {md_code(change.key)}: {md_text(change.message)}")
        if len(changes) > HIGHLIGHTS:
            out.append(f"- … and {len(changes) - HIGHLIGHTS} more in the full diff")
        out.append("")
    return out
