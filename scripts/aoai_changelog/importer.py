"""`aoai-changelog import`: upstream files -> one facts-only snapshot per version under specs/."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema

from .atomic import write_json
from .catalog import Catalog, Document
from .errors import UserError
from .load.files import sha256_of
from .normalize import convert_document, merge_documents
from .progress import progress
from .project import Project


def check_source(upstream: Path, version: str, doc: Document) -> Path:
    """The upstream file of `doc`, after checking it exists and matches the catalog's sha256."""
    if doc.file is None or doc.sha256 is None:
        raise UserError(f"{version}: the catalog has no source file for its {doc.document} document (status: {doc.status})")
    path = upstream / doc.file
    if not path.is_file():
        raise UserError(f"{version}: {doc.document} document not found: {path}")
    actual = sha256_of(path)
    if actual != doc.sha256:
        raise UserError(
            f"{version}: sha256 mismatch for {path}: catalog says {doc.sha256[:12]}…, file is {actual[:12]}… "
            "(upstream file changed; review it and update specs/catalog.yaml on purpose)"
        )
    return path


def build_snapshot(upstream: Path, version: str, documents: list[Document]) -> dict:
    parts, provenance = [], []
    for doc in documents:
        path = check_source(upstream, version, doc)
        part = convert_document(path, doc.document, tree=upstream)
        parts.append((doc.document, part))
        provenance.append({
            "document": doc.document,
            "format": part["format"],
            "sha256": doc.sha256,
            "upstream_path": doc.upstream_path,
            "upstream_commit": doc.upstream_commit,
            "servers": part["servers"],
        })
    return merge_documents(version, parts, provenance)


def validate_snapshot(snapshot: dict, schema_dir: Path, label: str) -> None:
    schema = json.loads((schema_dir / "snapshot.schema.json").read_text())
    try:
        jsonschema.Draft202012Validator(schema).validate(snapshot)
    except jsonschema.ValidationError as exc:
        where = "/".join(str(p) for p in exc.absolute_path) or "(top)"
        raise UserError(f"{label}: snapshot fails schema/snapshot.schema.json at {where}: {exc.message}") from None


def import_versions(project: Project, catalog: Catalog, upstream: Path, versions: list[str] | None) -> list[tuple[str, bool]]:
    """Import each version (all by default). Returns [(version, changed on disk)]."""
    upstream = Path(upstream)
    if not (upstream / "MANIFEST.yaml").is_file():
        raise UserError(f"{upstream}: not an upstream tree (no MANIFEST.yaml)")
    wanted = [catalog.get(v).id for v in versions] if versions else catalog.ids()
    # Build everything first, write after: a failure half-way leaves specs/ as it was.
    built = []
    for version_id in progress(wanted, "import"):
        version = catalog.get(version_id)
        snapshot = build_snapshot(upstream, version_id, version.documents)
        validate_snapshot(snapshot, project.schema_dir, version_id)
        built.append((version_id, snapshot))
    return [(version_id, write_json(project.snapshot_file(version_id), snapshot)) for version_id, snapshot in built]
