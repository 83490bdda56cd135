"""Diff two specs named by the user: version ids (from specs/) or paths to OpenAPI/Swagger files.

A comparison is two stages, two calls: diff/ finds the facts (what differs), checker/ adds the
verdicts (rule, level, breaking) and the order. diff_surfaces() does both for two surfaces; compare()
also resolves the user's names and says where each side comes from."""

from __future__ import annotations

from pathlib import Path

from .catalog import Catalog, Document
from .changes import DiffResult
from .checker import judge
from .diff import diff_facts
from .load.files import sha256_of
from .project import Project
from .snapshots import is_file_spec, load_surface
from .surface import Surface


def diff_surfaces(old: Surface, new: Surface, source: dict | None = None, target: dict | None = None) -> DiffResult:
    """Every change from `old` to `new` with its verdict, sorted. `source`/`target` describe the sides."""
    changes = judge(diff_facts(old, new))
    return DiffResult(source or {"id": old.version}, target or {"id": new.version}, changes)


def describe(catalog: Catalog | None, spec: str) -> dict:
    """What a diff says about each side: the version with its provenance, or the file."""
    if is_file_spec(catalog, spec):
        path = Path(spec)
        return {"id": path.name, "file": str(path), "sha256": sha256_of(path)}
    if "@" in spec:
        version, revision = catalog.revision(spec)
        return {"id": revision["id"], "channel": version.channel, "date": revision["date"], "title": revision["title"],
                "status": version.status, "documents": _documents(version.revision_documents(revision))}
    version = catalog.get(spec)
    return {"id": version.id, "channel": version.channel, "release_date": version.release_date,
            "status": version.status, "documents": _documents(version.documents)}


def _documents(documents: list[Document]) -> list[dict]:
    return [{"document": d.document, "status": d.status, "upstream_commit": d.upstream_commit, "sha256": d.sha256}
            for d in documents]


def compare(project: Project | None, catalog: Catalog | None, old: str, new: str) -> DiffResult:
    """Diff two specs. Two files need no project or catalog (None): a user's own specs are
    compared anywhere, installed or not."""
    before, after = load_surface(project, catalog, old), load_surface(project, catalog, new)
    result = diff_surfaces(before, after, describe(catalog, old), describe(catalog, new))
    from .source_lines import operation_lines

    for side, spec, surface in (("from", old, before), ("to", new, after)):
        if is_file_spec(catalog, spec):
            result.lines[side] = operation_lines(spec, surface)
    return result


def needs_catalog(*specs: str) -> bool:
    """Does any of `specs` name a version rather than a file?"""
    return not all(is_file_spec(None, spec) for spec in specs)
