"""A user's spec argument (`2024-10-21`, `v1@2025-11-07`, `./api.yaml`), resolved once into what it
names: a version, a revision or a file, with its provenance and where its snapshot lives. compare(),
load_surface() and describe() take the resolved spec, so one argument costs one look-up in the
catalog instead of one per question asked about it."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import RevisionNotImported, UserError

if TYPE_CHECKING:
    from .catalog import Catalog, Document, Version
    from .project import Project


def looks_like_path(spec: str) -> bool:
    return "/" in spec or spec.endswith((".json", ".yaml", ".yml"))


def is_file_spec(catalog: Catalog | None, spec: str) -> bool:
    """Does `spec` name a file rather than a version? (Without a catalog, anything path-like does.)"""
    return looks_like_path(spec) and (catalog is None or not catalog.knows(spec))


class ResolvedSpec:
    """What a spec argument names. `kind` is version | revision | file; `id` the version or revision
    id (a file's name for a file); `version` and `revision` the catalog's entries (None for a file);
    `file` the user's file (None for a version)."""

    __slots__ = ("spec", "kind", "id", "version", "revision", "file", "_snapshot")

    def __init__(self, spec: str, kind: str, id: str, version: Version | None = None, revision: dict | None = None,
                 file: Path | None = None, snapshot: Path | None = None) -> None:
        self.spec, self.kind, self.id = spec, kind, id
        self.version, self.revision, self.file, self._snapshot = version, revision, file, snapshot

    def __repr__(self) -> str:
        return f"ResolvedSpec({self.kind} {self.id!r})"

    @property
    def snapshot(self) -> Path:
        """Where the snapshot of a version or revision lives (a revision not imported has none)."""
        if self._snapshot is None:
            if self.kind == "revision" and self.revision is not None and not self.revision["imported"]:
                raise RevisionNotImported(self.id, self.revision["reason"])
            raise UserError(f"'{self.spec}' has no snapshot here (a file, or no project to look in)")
        return self._snapshot

    def describe(self) -> dict:
        """What a diff says about this side: the version with its provenance, or the file."""
        if self.file is not None:
            from ..load.files import sha256_of

            return {"id": self.id, "file": str(self.file), "sha256": sha256_of(self.file)}
        assert self.version is not None
        if self.revision is not None:
            return {"id": self.id, "channel": self.version.channel, "date": self.revision["date"],
                    "title": self.revision["title"], "status": self.version.status,
                    "documents": _documents(self.version.revision_documents(self.revision))}
        return {"id": self.id, "channel": self.version.channel, "release_date": self.version.release_date,
                "status": self.version.status, "documents": _documents(self.version.documents)}


def _documents(documents: list[Document]) -> list[dict]:
    return [{"document": d.document, "status": d.status, "upstream_commit": d.upstream_commit, "sha256": d.sha256}
            for d in documents]


def resolve_spec(project: Project | None, catalog: Catalog | None, spec: str | ResolvedSpec) -> ResolvedSpec:
    """`spec` resolved (an already resolved spec is returned as it is). Unknown versions and
    revisions raise UnknownVersion here, once; a file is not opened until its surface is loaded."""
    if isinstance(spec, ResolvedSpec):
        return spec
    if is_file_spec(catalog, spec):
        path = Path(spec)
        return ResolvedSpec(spec, "file", path.name, file=path)
    if catalog is None:
        raise UserError(f"'{spec}' is not a file, and no catalog of versions is available to look it up")
    if "@" in spec:
        version, revision = catalog.revision(spec)
        snapshot = None
        if project is not None and revision["imported"]:
            snapshot = project.snapshot_file(version.id) if revision["canonical"] else project.revision_file(spec)
        return ResolvedSpec(spec, "revision", revision["id"], version, revision, snapshot=snapshot)
    version = catalog.get(spec)
    return ResolvedSpec(spec, "version", version.id, version,
                        snapshot=project.snapshot_file(version.id) if project is not None else None)
