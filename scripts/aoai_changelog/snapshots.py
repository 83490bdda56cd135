"""Load a snapshot by version id (from specs/) or by file path (any OpenAPI/Swagger document)."""

from __future__ import annotations

import json
from pathlib import Path

from .catalog import Catalog
from .errors import UserError
from .project import Project
from .surface import Surface, surface_of


def looks_like_path(spec: str) -> bool:
    return "/" in spec or spec.endswith((".json", ".yaml", ".yml"))


def load_snapshot(project: Project, catalog: Catalog, version: str) -> dict:
    catalog.get(version)
    path = project.snapshot_file(version)
    try:
        return json.loads(path.read_bytes())
    except FileNotFoundError:
        raise UserError(f"{version}: no snapshot at {path} (run `aoai-changelog import --from DIR`)") from None
    except json.JSONDecodeError as exc:
        raise UserError(f"{path}: malformed snapshot JSON at line {exc.lineno}: {exc.msg}") from None


def snapshot_from_file(path: Path) -> dict:
    """Any OpenAPI 3.x / Swagger 2.0 file, normalized the same way the importer does it."""
    from .normalize import convert_document, merge_documents

    part = convert_document(Path(path), "file", tree=Path(path).resolve().parent)
    label = Path(path).name
    return merge_documents(label, [("file", part)], [{"document": "file", "format": part["format"], "sha256": "0" * 64, "servers": part["servers"]}])


def load_surface(project: Project, catalog: Catalog, spec: str) -> Surface:
    """The surface of a version id, or of a document at a path."""
    if looks_like_path(spec) and not _is_version(catalog, spec):
        path = Path(spec)
        if not path.exists():
            raise UserError(f"{spec}: no such file (and not a known version)")
        return surface_of(snapshot_from_file(path), path.name)
    snapshot = load_snapshot(project, catalog, spec)
    return surface_of(snapshot, spec)


def _is_version(catalog: Catalog, spec: str) -> bool:
    try:
        catalog.get(spec)
        return True
    except UserError:
        return False
