"""Diff two specs named by the user: version ids (from specs/) or paths to OpenAPI/Swagger files."""

from __future__ import annotations

from pathlib import Path

from .catalog import Catalog, Document
from .diff import DiffResult, diff_surfaces
from .load.files import sha256_of
from .project import Project
from .snapshots import load_surface, looks_like_path


def describe(catalog: Catalog, spec: str) -> dict:
    """What a diff says about each side: the version with its provenance, or the file."""
    if looks_like_path(spec) and not catalog.knows(spec):
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


def compare(project: Project, catalog: Catalog, old: str, new: str) -> DiffResult:
    source, target = describe(catalog, old), describe(catalog, new)
    return diff_surfaces(load_surface(project, catalog, old), load_surface(project, catalog, new), source, target)
